//! Synthetic squat recordings for tests and benchmarks: a parametric 3D body, posed, filmed by a pinhole
//! (or orthographic) camera, and turned into MediaPipe-normalised landmarks.
//!
//! Hidden from the documentation: it is test support, public only so that integration tests, property
//! tests and benches share one generator.
//!
//! **Body and pose.** World axes are metres: `x` towards the person's left, `y` up, `z` the way the person
//! faces, origin on the floor between the feet. Each foot is a rigid heel–ankle–toe triangle that can turn
//! out (about the vertical) and pitch up on its toes (about the toe), so heel lift is real heel motion.
//! The legs use the **foot-anchored two-bone IK** of the pose feasibility study (§4): the pelvis is placed by a sagittal
//! chain (knee flexion, shin inclination) over the ankles, and each knee then sits on the circle of points
//! that keep the thigh and shin lengths; the **swivel** angle turns it about the hip–ankle axis towards
//! the other leg, which is true knee collapse. The knee's neutral direction follows its foot, so turned-out
//! feet carry the knees out. The trunk leans forward from the pelvis; in a single-leg squat the lifted foot
//! hangs in front of its hip and the pelvis can drop on that side.
//!
//! **Camera.** The phone stands at knee height (0.5 m), 3 m away, with a 1000 px focal length and a
//! 720×1280 portrait picture, in front of the person or beside them (seeing their left or right side).
//! An orthographic camera with the same scale removes perspective, for tests of pure geometry. The model's
//! relative depth `z` is produced in `x` units relative to the hips, as MediaPipe does.
//!
//! **Recording.** Reps follow a raised-cosine path from standing to the bottom pose and back, with
//! standing pauses around them; Gaussian noise (a small SplitMix64 + Box–Muller generator, seeded, so every
//! recording is reproducible), dropped frames and low-visibility frames can be added.
#![allow(missing_docs)]

use crate::analysis::Side;
use crate::landmark::{LANDMARK_COUNT, Landmark, index};
use crate::recording::{Frame, Recording, View};

/// A 3D vector in metres.
pub type V3 = [f64; 3];

fn add(a: V3, b: V3) -> V3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn sub(a: V3, b: V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
fn scale(a: V3, k: f64) -> V3 {
    [a[0] * k, a[1] * k, a[2] * k]
}
fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
fn cross(a: V3, b: V3) -> V3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}
fn norm(a: V3) -> f64 {
    dot(a, a).sqrt()
}
fn unit(a: V3) -> V3 {
    let n = norm(a);
    if n > 0.0 { scale(a, 1.0 / n) } else { a }
}

/// Body dimensions (metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Body {
    pub thigh: f64,
    pub shank: f64,
    pub hip_half_width: f64,
    pub stance_half_width: f64,
    pub trunk: f64,
    pub shoulder_half_width: f64,
    pub ankle_height: f64,
    pub heel_back: f64,
    pub toe_forward: f64,
}

impl Default for Body {
    fn default() -> Self {
        Body {
            thigh: 0.45,
            shank: 0.43,
            hip_half_width: 0.11,
            stance_half_width: 0.11,
            trunk: 0.50,
            shoulder_half_width: 0.19,
            ankle_height: 0.08,
            heel_back: 0.06,
            toe_forward: 0.19,
        }
    }
}

/// A pose (angles in degrees; per-leg arrays are `[left, right]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Knee flexion of the sagittal chain that places the pelvis (0 = straight).
    pub knee_flexion: f64,
    /// Shin inclination forward from vertical.
    pub shank_incline: f64,
    /// Knee swivel about the hip–ankle axis, positive towards the other leg.
    pub swivel: [f64; 2],
    /// Heel raised by pitching the foot about the toe.
    pub heel_pitch: [f64; 2],
    /// Foot turned out about the vertical, positive = toes outwards.
    pub turn_out: [f64; 2],
    /// Trunk inclination forward from vertical.
    pub trunk_lean: f64,
    /// In a single-leg squat, the lifted leg.
    pub lifted: Option<Side>,
    /// Single-leg: the lifted leg's hip lower than the standing one's by this angle.
    pub pelvis_drop: f64,
}

impl Pose {
    /// Standing straight on both feet.
    pub fn standing() -> Pose {
        Pose {
            knee_flexion: 0.0,
            shank_incline: 0.0,
            swivel: [0.0; 2],
            heel_pitch: [0.0; 2],
            turn_out: [0.0; 2],
            trunk_lean: 0.0,
            lifted: None,
            pelvis_drop: 0.0,
        }
    }

    /// A bottom pose with the thigh at `thigh_deg` below horizontal and the shin at `shank_deg` from
    /// vertical; the trunk parallel to the shin.
    pub fn bottom(thigh_deg: f64, shank_deg: f64) -> Pose {
        Pose {
            knee_flexion: thigh_deg + 90.0 + shank_deg,
            shank_incline: shank_deg,
            trunk_lean: shank_deg,
            ..Pose::standing()
        }
    }

    /// The pose a fraction `s` (0–1) of the way from `self` to `to` (the feet's turn-out and the lifted
    /// leg are taken from `to`).
    pub fn towards(&self, to: &Pose, s: f64) -> Pose {
        let l = |a: f64, b: f64| a + (b - a) * s;
        let l2 = |a: [f64; 2], b: [f64; 2]| [l(a[0], b[0]), l(a[1], b[1])];
        Pose {
            knee_flexion: l(self.knee_flexion, to.knee_flexion),
            shank_incline: l(self.shank_incline, to.shank_incline),
            swivel: l2(self.swivel, to.swivel),
            heel_pitch: l2(self.heel_pitch, to.heel_pitch),
            turn_out: to.turn_out,
            trunk_lean: l(self.trunk_lean, to.trunk_lean),
            lifted: to.lifted,
            pelvis_drop: l(self.pelvis_drop, to.pelvis_drop),
        }
    }

    /// The same movement by the mirror-image person: left and right swapped.
    pub fn mirrored(&self) -> Pose {
        let swap = |a: [f64; 2]| [a[1], a[0]];
        Pose {
            swivel: swap(self.swivel),
            heel_pitch: swap(self.heel_pitch),
            turn_out: swap(self.turn_out),
            lifted: self.lifted.map(|s| if s == Side::Left { Side::Right } else { Side::Left }),
            ..*self
        }
    }
}

/// The 3D points of one pose (per-leg arrays are `[left, right]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skeleton {
    pub nose: V3,
    pub shoulder: [V3; 2],
    pub hip: [V3; 2],
    pub knee: [V3; 2],
    pub ankle: [V3; 2],
    pub heel: [V3; 2],
    pub toe: [V3; 2],
}

/// +1 for the left leg (towards +x), −1 for the right.
fn lateral(leg: usize) -> f64 {
    if leg == 0 { 1.0 } else { -1.0 }
}

impl Body {
    /// Pose the body.
    pub fn pose(&self, p: &Pose) -> Skeleton {
        let lifted = p.lifted.map(|s| if s == Side::Left { 0 } else { 1 });
        let feet: [(V3, V3, V3, V3); 2] = [0, 1].map(|leg| self.foot(leg, p));
        // The sagittal chain over the standing ankle(s) places the pelvis.
        let anchors: Vec<V3> = (0..2).filter(|&l| Some(l) != lifted).map(|l| feet[l].0).collect();
        let anchor = scale(anchors.iter().fold([0.0; 3], |a, &b| add(a, b)), 1.0 / anchors.len() as f64);
        let (phi, theta) = (p.shank_incline.to_radians(), p.knee_flexion.to_radians());
        let knee_ref = add(anchor, [0.0, self.shank * phi.cos(), self.shank * phi.sin()]);
        let hip_ref = add(knee_ref, [0.0, self.thigh * (phi - theta).cos(), self.thigh * (phi - theta).sin()]);
        let hip = self.hips(hip_ref, lifted, p.pelvis_drop);
        let mut ankle = [feet[0].0, feet[1].0];
        let mut heel = [feet[0].1, feet[1].1];
        let mut toe = [feet[0].2, feet[1].2];
        if let Some(l) = lifted {
            // The lifted foot hangs in front of and below its hip.
            let a = add(hip[l], [0.0, -0.45, 0.25]);
            let shift = sub(a, ankle[l]);
            ankle[l] = a;
            heel[l] = add(heel[l], shift);
            toe[l] = add(toe[l], shift);
        }
        let knee = [0, 1].map(|l| self.knee(l, hip[l], ankle[l], feet[l].3, p.swivel[l]));
        let centre = scale(add(hip[0], hip[1]), 0.5);
        let lean = p.trunk_lean.to_radians();
        let up = [0.0, lean.cos(), lean.sin()];
        let shoulder_mid = add(centre, scale(up, self.trunk));
        let shoulder = [0, 1].map(|l| add(shoulder_mid, [lateral(l) * self.shoulder_half_width, 0.0, 0.0]));
        let nose = add(add(shoulder_mid, scale(up, 0.22)), [0.0, 0.0, 0.09]);
        Skeleton { nose, shoulder, hip, knee, ankle, heel, toe }
    }

    /// A foot's (ankle, heel, toe, forward direction).
    fn foot(&self, leg: usize, p: &Pose) -> (V3, V3, V3, V3) {
        let gamma = p.turn_out[leg].to_radians();
        let fwd = [lateral(leg) * gamma.sin(), 0.0, gamma.cos()];
        let base = [lateral(leg) * self.stance_half_width, 0.0, 0.0];
        let toe = add(base, scale(fwd, self.toe_forward));
        // Pitch about the toe: a point `f` ahead of the toe and `u` up moves to (f cos β + u sin β, u cos β − f sin β).
        let beta = p.heel_pitch[leg].to_radians();
        let place = |f: f64, u: f64| {
            let (f2, u2) = (f * beta.cos() + u * beta.sin(), u * beta.cos() - f * beta.sin());
            add(add(toe, scale(fwd, f2)), [0.0, u2, 0.0])
        };
        let ankle = place(-self.toe_forward, self.ankle_height);
        let heel = place(-self.toe_forward - self.heel_back, 0.0);
        (ankle, heel, toe, fwd)
    }

    fn hips(&self, centre: V3, lifted: Option<usize>, drop_deg: f64) -> [V3; 2] {
        let w = self.hip_half_width;
        match lifted {
            None => [add(centre, [w, 0.0, 0.0]), add(centre, [-w, 0.0, 0.0])],
            Some(l) => {
                // The standing hip stays over its foot; the lifted side drops by the given angle.
                let s = 1 - l;
                let standing = add(centre, [lateral(s) * w, 0.0, 0.0]);
                let d = drop_deg.to_radians();
                let other = add(standing, [lateral(l) * 2.0 * w * d.cos(), -2.0 * w * d.sin(), 0.0]);
                if l == 0 { [other, standing] } else { [standing, other] }
            }
        }
    }

    /// The knee on the circle around the hip–ankle axis, turned towards the other leg by `swivel_deg`.
    fn knee(&self, leg: usize, hip: V3, ankle: V3, forward: V3, swivel_deg: f64) -> V3 {
        let axis = sub(hip, ankle);
        let d = norm(axis).clamp(1e-9, self.thigh + self.shank);
        let u = unit(axis);
        let a = (self.shank * self.shank - self.thigh * self.thigh + d * d) / (2.0 * d);
        let r = (self.shank * self.shank - a * a).max(0.0).sqrt();
        let w = unit(sub(forward, scale(u, dot(forward, u))));
        let mut b = unit(cross(u, w));
        if b[0] * -lateral(leg) < 0.0 {
            b = scale(b, -1.0);
        }
        let psi = swivel_deg.to_radians();
        let dir = add(scale(w, psi.cos()), scale(b, psi.sin()));
        add(add(ankle, scale(u, a)), scale(dir, r))
    }

    /// The frontal-plane projection angle of a leg seen by an orthographic camera straight in front: the
    /// ground truth the analysis should find, computed independently of it (from slopes, not vectors).
    pub fn true_frontal_angle(&self, p: &Pose, side: Side) -> f64 {
        let s = self.pose(p);
        let l = if side == Side::Left { 0 } else { 1 };
        let (h, k, a) = (s.hip[l], s.knee[l], s.ankle[l]);
        // Signed direction of each segment from straight down, positive towards the body's midline.
        let medial = -lateral(l);
        let thigh = ((k[0] - h[0]) * medial).atan2(h[1] - k[1]);
        let shank = ((a[0] - k[0]) * medial).atan2(k[1] - a[1]);
        (thigh - shank).to_degrees()
    }

    /// How far a heel rose (in heel-to-toe lengths) between two poses.
    pub fn heel_rise(&self, from: &Pose, to: &Pose, side: Side) -> f64 {
        let l = if side == Side::Left { 0 } else { 1 };
        let (a, b) = (self.pose(from), self.pose(to));
        (b.heel[l][1] - a.heel[l][1]) / norm(sub(a.toe[l], a.heel[l]))
    }
}

/// How the camera maps 3D to the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    Perspective,
    /// Parallel projection at the scale of the camera's distance.
    Orthographic,
}

/// A phone camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub position: V3,
    pub forward: V3,
    pub up: V3,
    pub focal: f64,
    pub width: u32,
    pub height: u32,
    pub projection: Projection,
    /// Selfie video: the picture flipped left to right.
    pub mirrored: bool,
    /// Which of the person's sides faces the camera (`None` from the front).
    pub near_side: Option<Side>,
}

impl Camera {
    /// In front of the person at `distance` metres, knee height.
    pub fn front(distance: f64) -> Camera {
        Camera {
            position: [0.0, 0.5, distance],
            forward: [0.0, 0.0, -1.0],
            up: [0.0, 1.0, 0.0],
            focal: 1000.0,
            width: 720,
            height: 1280,
            projection: Projection::Perspective,
            mirrored: false,
            near_side: None,
        }
    }

    /// Beside the person, 3 m away, seeing their `side`.
    pub fn side(side: Side) -> Camera {
        let s = if side == Side::Right { -1.0 } else { 1.0 };
        Camera { position: [3.0 * s, 0.5, 0.05], forward: [-s, 0.0, 0.0], near_side: Some(side), ..Camera::front(3.0) }
    }

    pub fn orthographic(self) -> Camera {
        Camera { projection: Projection::Orthographic, ..self }
    }

    pub fn mirrored(self) -> Camera {
        Camera { mirrored: true, ..self }
    }

    /// Pixel x, pixel y and depth (metres along the view) of a point.
    pub fn project(&self, p: V3) -> (f64, f64, f64) {
        let right = cross(self.forward, self.up);
        let rel = sub(p, self.position);
        let depth = dot(rel, self.forward);
        let scale_depth = match self.projection {
            Projection::Perspective => depth,
            Projection::Orthographic => norm(sub([0.0, self.position[1], 0.0], self.position)),
        };
        let mut x = f64::from(self.width) / 2.0 + self.focal * dot(rel, right) / scale_depth;
        let y = f64::from(self.height) / 2.0 - self.focal * dot(rel, self.up) / scale_depth;
        if self.mirrored {
            x = f64::from(self.width) - x;
        }
        (x, y, depth)
    }
}

/// A small deterministic random generator (SplitMix64 with Box–Muller).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal.
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A filmed scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub body: Body,
    pub camera: Camera,
    pub view: View,
    /// The pose at the bottom of every rep.
    pub bottom: Pose,
    pub reps: usize,
    pub rep_seconds: f64,
    pub pause_seconds: f64,
    pub fps: f64,
    /// Landmark noise, standard deviation in metres at the person.
    pub noise_m: f64,
    pub seed: u64,
    /// Every n-th frame has no person.
    pub drop_every: Option<usize>,
    /// Every n-th frame has all visibilities at 0.1 and its points thrown 20 cm off.
    pub low_visibility_every: Option<usize>,
}

impl Script {
    /// Three reps filmed from the front at 3 m, 30 fps, no noise.
    pub fn front(bottom: Pose) -> Script {
        Script {
            body: Body::default(),
            camera: Camera::front(3.0),
            view: View::Front,
            bottom,
            reps: 3,
            rep_seconds: 2.0,
            pause_seconds: 0.8,
            fps: 30.0,
            noise_m: 0.0,
            seed: 1,
            drop_every: None,
            low_visibility_every: None,
        }
    }

    /// The same from the side, seeing the person's left.
    pub fn side(bottom: Pose) -> Script {
        Script { camera: Camera::side(Side::Left), view: View::Side, ..Script::front(bottom) }
    }

    /// The recording's length in seconds.
    pub fn duration(&self) -> f64 {
        self.pause_seconds + self.reps as f64 * (self.rep_seconds + self.pause_seconds)
    }

    /// The pose at time `t`.
    pub fn pose_at(&self, t: f64) -> Pose {
        let standing = Pose { turn_out: self.bottom.turn_out, lifted: self.bottom.lifted, ..Pose::standing() };
        let period = self.rep_seconds + self.pause_seconds;
        let tau = t - self.pause_seconds;
        if tau < 0.0 || tau >= self.reps as f64 * period {
            return standing.towards(&self.bottom, 0.0);
        }
        let within = tau % period;
        let s = if within < self.rep_seconds {
            (1.0 - (std::f64::consts::TAU * within / self.rep_seconds).cos()) / 2.0
        } else {
            0.0
        };
        standing.towards(&self.bottom, s)
    }

    /// The times of the bottoms of the reps.
    pub fn bottom_times(&self) -> Vec<f64> {
        (0..self.reps)
            .map(|r| self.pause_seconds + r as f64 * (self.rep_seconds + self.pause_seconds) + self.rep_seconds / 2.0)
            .collect()
    }

    /// Film it.
    pub fn recording(&self) -> Recording {
        let mut rng = Rng::new(self.seed);
        let n = (self.duration() * self.fps).round() as usize;
        let frames = (0..n)
            .map(|k| {
                let t = k as f64 / self.fps;
                let dropped = self.drop_every.is_some_and(|e| e > 0 && k % e == e - 1);
                let low = self.low_visibility_every.is_some_and(|e| e > 0 && k % e == e - 1);
                let landmarks = (!dropped).then(|| self.landmarks(&self.body.pose(&self.pose_at(t)), &mut rng, low));
                Frame { t, landmarks }
            })
            .collect();
        Recording { view: self.view, fps: self.fps, width: self.camera.width, height: self.camera.height, frames }
    }

    fn landmarks(&self, s: &Skeleton, rng: &mut Rng, low: bool) -> [Landmark; LANDMARK_COUNT] {
        let cam = &self.camera;
        let (_, _, hip_depth) = cam.project(scale(add(s.hip[0], s.hip[1]), 0.5));
        let sigma_px = self.noise_m * cam.focal / norm(sub([0.0, cam.position[1], 0.0], cam.position));
        let (w, h) = (f64::from(cam.width), f64::from(cam.height));
        let far = |leg: usize| match cam.near_side {
            Some(Side::Left) => leg == 1,
            Some(_) => leg == 0,
            None => false,
        };
        let mut out = [Landmark { x: 0.5, y: 0.5, z: 0.0, visibility: 0.0 }; LANDMARK_COUNT];
        let mut put = |k: usize, p: V3, visibility: f64, rng: &mut Rng| {
            let (mut x, mut y, depth) = cam.project(p);
            x += sigma_px * rng.normal();
            y += sigma_px * rng.normal();
            let mut z = (depth - hip_depth) * cam.focal / hip_depth + sigma_px * rng.normal();
            if low {
                x += 0.2 * cam.focal / 3.0;
                z -= 0.2 * cam.focal / 3.0;
            }
            out[k] = Landmark { x: x / w, y: y / h, z: z / w, visibility: if low { 0.1 } else { visibility } };
        };
        put(index::NOSE, s.nose, 0.99, rng);
        let legs = [
            (
                index::LEFT_SHOULDER,
                index::LEFT_HIP,
                index::LEFT_KNEE,
                index::LEFT_ANKLE,
                index::LEFT_HEEL,
                index::LEFT_FOOT_INDEX,
            ),
            (
                index::RIGHT_SHOULDER,
                index::RIGHT_HIP,
                index::RIGHT_KNEE,
                index::RIGHT_ANKLE,
                index::RIGHT_HEEL,
                index::RIGHT_FOOT_INDEX,
            ),
        ];
        for (l, &(sh, hp, kn, an, he, to)) in legs.iter().enumerate() {
            let (upper, lower) = if far(l) { (0.8, 0.3) } else { (0.97, 0.95) };
            put(sh, s.shoulder[l], upper, rng);
            put(hp, s.hip[l], upper, rng);
            put(kn, s.knee[l], lower, rng);
            put(an, s.ankle[l], lower, rng);
            put(he, s.heel[l], lower, rng);
            put(to, s.toe[l], lower, rng);
        }
        out
    }
}
