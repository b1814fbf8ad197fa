// The camera squat screen (templates/camera/capture.html): film a squat with this device's camera, or take
// a video already on it, find the 33 body points of MediaPipe Pose (BlazePose GHUM, Apache-2.0) in every
// frame in the browser, and send only those points to kneeroot. The video never leaves the device.
//
// Design:
// - The model is the npm package @mediapipe/pose, served by kneeroot itself under /assets/pose/ (never a
//   CDN): pose.js is loaded by a script tag of the page and finds its wasm, data and model files through
//   `locateFile`. Its wasm needs the page's CSP to allow 'wasm-unsafe-eval', and nothing else.
// - A set-up phase runs the model on the live picture and tells the person, in an aria-live element,
//   what to change until the whole body is in the picture, at a good distance and facing the right way;
//   "Start recording" is enabled then (or at once with "Record anyway").
// - Recording keeps every frame's landmarks (null where nobody was found) with its time from the start,
//   stops on "Stop and analyse" or after 30 s, and posts them as JSON in the form's hidden textarea:
//   {"view","fps","width","height","frames":[{"t","landmarks":[[x,y,z,visibility]×33]|null}]}.
// - A video file is analysed frame by frame by seeking (15 frames per video second), so that a slow phone
//   gives the same series as a fast one, only later.
// - Tests and the FPS bench read the progress from window.kneerootCamera and document.body.dataset.
(function () {
  'use strict';

  var root = document.getElementById('camera');
  if (!root) return;
  var fallback = document.getElementById('camera-fallback');

  var VIEW = root.dataset.view === 'side' ? 'side' : 'front';
  var params = new URLSearchParams(window.location.search);
  // Lite for weak phones (and the FPS bench); full by default: it is markedly better on legs.
  var MODEL_COMPLEXITY = params.get('model') === 'lite' ? 0 : 1;
  var MAX_SECONDS = 30;
  var FILE_STEP_S = 1 / 15;
  // Framing thresholds, on MediaPipe's normalised image coordinates (0–1 of the width and height).
  var EDGE_MARGIN = 0.02; // a point this close to the edge is about to leave the picture
  var MIN_VISIBILITY = 0.5;
  var MIN_HEIGHT = 0.45; // nose to feet, as a share of the picture's height: smaller is too far away
  var MAX_HEIGHT = 0.92;
  var FRONT_MIN_HIP_WIDTH = 0.07; // hip-to-hip distance / body height when facing the camera (≈0.1–0.15)
  var SIDE_MAX_HIP_WIDTH = 0.05; // … and when side on (the hips overlap)
  var SIDE_MAX_SHOULDER_WIDTH = 0.09;
  var GOOD_FRAMES_NEEDED = 2; // consecutive well-framed frames before recording is offered
  // Once offered, recording stays offered through a short lapse (a foot point's visibility dipping for
  // a frame), so that the button does not go grey under the person's finger: it is withdrawn only after
  // this many bad frames in a row that also span this long.
  var BAD_FRAMES_TO_WITHDRAW = 3;
  var BAD_MS_TO_WITHDRAW = 1000;

  var NOSE = 0;
  var L_SHOULDER = 11;
  var R_SHOULDER = 12;
  var L_HIP = 23;
  var R_HIP = 24;
  var FEET = [27, 28, 29, 30, 31, 32]; // ankles, heels, foot tips
  var BONES = [
    [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
    [23, 25], [25, 27], [27, 29], [29, 31], [27, 31], [24, 26], [26, 28], [28, 30], [30, 32], [28, 32],
    [0, 11], [0, 12],
  ];

  var el = {
    source: document.getElementById('camera-source'),
    fileField: document.getElementById('camera-file-field'),
    file: document.getElementById('camera-file'),
    start: document.getElementById('camera-start'),
    stage: document.getElementById('camera-stage'),
    video: document.getElementById('camera-video'),
    canvas: document.getElementById('camera-overlay'),
    feedback: document.getElementById('camera-feedback'),
    controls: document.getElementById('camera-controls'),
    record: document.getElementById('camera-record'),
    override: document.getElementById('camera-override'),
    stop: document.getElementById('camera-stop'),
    timer: document.getElementById('camera-timer'),
    form: document.getElementById('camera-form'),
    landmarks: document.getElementById('camera-landmarks'),
  };

  /** Progress, for people (the page) and for tests and the FPS bench (this object). */
  var progress = {
    state: 'idle', // idle → loading → setup → recording → submitting; or error
    view: VIEW,
    model: MODEL_COMPLEXITY === 0 ? 'lite' : 'full',
    framesSeen: 0,
    framesWithPose: 0,
    recordedFrames: 0,
    msPerFrame: null, // moving average of one pose.send()
    framing: null, // { ok, found, message } of the last frame
    recordOffered: false, // the framing was right long enough for "Start recording"
    error: null,
    events: [], // [ms since the page loaded, what happened], the last 50: for a failing test's message
  };
  window.kneerootCamera = progress;

  function note(what) {
    progress.events.push([Math.round(performance.now()), what]);
    if (progress.events.length > 50) progress.events.shift();
  }

  function setState(state) {
    progress.state = state;
    document.body.dataset.cameraState = state;
    note(state);
  }

  var lastMessage = '';
  /** The live feedback: only changes are written, so that a screen reader is not told the same thing
   * every frame. */
  function say(message) {
    if (message === lastMessage) return;
    lastMessage = message;
    el.feedback.textContent = message;
  }

  function fail(message, detail) {
    setState('error');
    progress.error = detail ? message + ' (' + detail + ')' : message;
    stopTracks();
    say(message);
    el.controls.hidden = true;
    el.source.hidden = false;
    el.start.disabled = false;
  }

  // Without WebAssembly, or if pose.js did not load, keep the plain message and the way back.
  if (typeof window.Pose !== 'function' || typeof WebAssembly !== 'object') {
    if (fallback) {
      fallback.querySelector('p').textContent =
        'Filming your squat does not work in this browser (the body-tracking model could not be loaded). The questions still work.';
    }
    setState('error');
    progress.error = 'pose.js or WebAssembly unavailable';
    return;
  }
  if (fallback) fallback.hidden = true;
  root.hidden = false;
  setState('idle');

  // ---- the model --------------------------------------------------------------------------------------

  var pose = null;
  var poseReady = null;
  var lastResults = null;

  function loadPose() {
    if (poseReady) return poseReady;
    pose = new window.Pose({
      locateFile: function (file) {
        return '/assets/pose/' + file;
      },
    });
    pose.setOptions({
      modelComplexity: MODEL_COMPLEXITY,
      smoothLandmarks: true,
      enableSegmentation: false,
      minDetectionConfidence: 0.5,
      minTrackingConfidence: 0.5,
      selfieMode: false, // landmarks in the camera's own coordinates; the preview is mirrored by CSS instead
    });
    pose.onResults(function (results) {
      lastResults = results;
    });
    poseReady = pose.initialize().catch(function (e) {
      poseReady = null; // let "Start" try again
      throw e;
    });
    return poseReady;
  }

  /** Run the model on the video's current frame; the landmarks found, or null. */
  function detect(at) {
    lastResults = null;
    var t0 = performance.now();
    return pose.send({ image: el.video }, at).then(function () {
      var ms = performance.now() - t0;
      progress.msPerFrame = progress.msPerFrame === null ? ms : 0.8 * progress.msPerFrame + 0.2 * ms;
      progress.framesSeen += 1;
      var lm = lastResults && lastResults.poseLandmarks;
      if (lm && lm.length >= 33) {
        progress.framesWithPose += 1;
        return lm;
      }
      return null;
    });
  }

  // ---- framing ----------------------------------------------------------------------------------------

  function visible(p) {
    return (p.visibility === undefined || p.visibility >= MIN_VISIBILITY) &&
      p.x >= EDGE_MARGIN && p.x <= 1 - EDGE_MARGIN && p.y >= EDGE_MARGIN && p.y <= 1 - EDGE_MARGIN;
  }

  /** What to change before recording, from one frame's landmarks. */
  function judgeFraming(lm, width, height) {
    if (!lm) {
      return { ok: false, found: false, message: 'Looking for you… Stand so that your whole body, head to feet, is in the picture.' };
    }
    var seen = 'I can see you. ';
    var nose = lm[NOSE];
    if (!visible(nose)) {
      return { ok: false, found: true, message: seen + 'Your head is cut off: step back, or point the camera a little higher.' };
    }
    var feetOut = FEET.filter(function (i) { return !visible(lm[i]); });
    if (feetOut.length > 0) {
      var low = FEET.some(function (i) { return lm[i].y > 1 - EDGE_MARGIN; });
      var side = FEET.some(function (i) { return lm[i].x < EDGE_MARGIN || lm[i].x > 1 - EDGE_MARGIN; });
      var hint = side ? 'move towards the middle of the picture.' : low ? 'step back, or point the camera a little lower.' : 'make sure nothing hides them.';
      return { ok: false, found: true, message: seen + 'Your feet are not fully in the picture: ' + hint };
    }
    var feetY = Math.max.apply(null, FEET.map(function (i) { return lm[i].y; }));
    var bodyHeight = feetY - nose.y; // share of the picture's height
    if (bodyHeight < MIN_HEIGHT) {
      return { ok: false, found: true, message: seen + 'You are quite small in the picture: come a little closer.' };
    }
    if (bodyHeight > MAX_HEIGHT) {
      return { ok: false, found: true, message: seen + 'You fill the whole picture: step back a little.' };
    }
    // Widths relative to body height, in pixels, so that the picture's shape does not matter.
    var px = width / height;
    var hipWidth = (Math.abs(lm[L_HIP].x - lm[R_HIP].x) * px) / bodyHeight;
    var shoulderWidth = (Math.abs(lm[L_SHOULDER].x - lm[R_SHOULDER].x) * px) / bodyHeight;
    if (VIEW === 'front' && hipWidth < FRONT_MIN_HIP_WIDTH) {
      return { ok: false, found: true, message: seen + 'Turn to face the camera.' };
    }
    if (VIEW === 'side' && (hipWidth > SIDE_MAX_HIP_WIDTH || shoulderWidth > SIDE_MAX_SHOULDER_WIDTH)) {
      return { ok: false, found: true, message: seen + 'Turn sideways, so that the camera sees your side.' };
    }
    return { ok: true, found: true, message: seen + 'Your whole body is in the picture. Press "Start recording", then do 3 to 5 slow squats.' };
  }

  // ---- drawing ----------------------------------------------------------------------------------------

  function draw(lm) {
    var c = el.canvas;
    var w = el.video.videoWidth;
    var h = el.video.videoHeight;
    if (!w || !h) return;
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    var g = c.getContext('2d');
    g.clearRect(0, 0, w, h);
    if (!lm) return;
    var unit = Math.max(2, Math.round(Math.min(w, h) / 160));
    g.lineWidth = unit;
    g.strokeStyle = progress.state === 'recording' ? '#dc2626' : '#22c55e';
    g.beginPath();
    BONES.forEach(function (b) {
      var p = lm[b[0]];
      var q = lm[b[1]];
      if ((p.visibility || 0) < 0.3 || (q.visibility || 0) < 0.3) return;
      g.moveTo(p.x * w, p.y * h);
      g.lineTo(q.x * w, q.y * h);
    });
    g.stroke();
    g.fillStyle = '#ffffff';
    for (var i = 11; i < 33; i++) {
      if ((lm[i].visibility || 0) < 0.3) continue;
      g.beginPath();
      g.arc(lm[i].x * w, lm[i].y * h, unit * 1.5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  // ---- sources ----------------------------------------------------------------------------------------

  var stream = null;
  var objectUrl = null;
  var usingFile = false;
  var loopId = 0; // a new loop ends the one before

  function stopTracks() {
    loopId += 1;
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }
    el.video.pause();
    el.video.srcObject = null;
    if (objectUrl) {
      el.video.removeAttribute('src');
      el.video.load();
      URL.revokeObjectURL(objectUrl);
      objectUrl = null;
    }
  }
  window.addEventListener('pagehide', stopTracks);

  function chosenSource() {
    var checked = el.source.querySelector('input[name="camera-source"]:checked');
    return checked ? checked.value : 'environment';
  }

  el.source.addEventListener('change', function () {
    el.fileField.hidden = chosenSource() !== 'file';
    el.start.textContent = chosenSource() === 'file' ? 'Open the video' : 'Start the camera';
  });

  function openCamera(facing) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(Object.assign(new Error('no getUserMedia'), { name: 'NoMediaDevices' }));
    }
    return navigator.mediaDevices
      .getUserMedia({
        audio: false,
        video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
      })
      .then(function (s) {
        stream = s;
        el.video.srcObject = s;
        el.stage.classList.toggle('mirrored', facing === 'user');
        return el.video.play();
      });
  }

  function openFile() {
    var f = el.file.files && el.file.files[0];
    if (!f) return Promise.reject(Object.assign(new Error('no file'), { name: 'NoFile' }));
    objectUrl = URL.createObjectURL(f); // played from memory: nothing is uploaded
    el.video.src = objectUrl;
    el.video.loop = true;
    el.stage.classList.remove('mirrored');
    return el.video.play();
  }

  function cameraMessage(e) {
    switch (e && e.name) {
      case 'NotAllowedError':
      case 'SecurityError':
        return 'The camera was not allowed. You can allow it in the browser\'s settings, choose a video on this device instead, or go back to the questions.';
      case 'NotFoundError':
      case 'OverconstrainedError':
        return 'No camera was found. You can choose a video on this device instead, or go back to the questions.';
      case 'NotReadableError':
        return 'The camera is busy with another app. Close it and try again, or choose a video on this device.';
      case 'NoMediaDevices':
        return 'This browser does not let the page use the camera (it needs a secure https connection). You can choose a video on this device instead, or go back to the questions.';
      case 'NoFile':
        return 'Choose a video first.';
      default:
        return 'The video could not be started. You can try again, choose a video on this device, or go back to the questions.';
    }
  }

  el.start.addEventListener('click', function () {
    var source = chosenSource();
    usingFile = source === 'file';
    stopTracks();
    el.start.disabled = true;
    setState('loading');
    say('Loading the body-tracking model (about 15 MB the first time)…');
    // Tell a camera problem (its DOMException names) from a model problem (anything else).
    var opened = (usingFile ? openFile() : openCamera(source)).catch(function (e) {
      throw { camera: true, name: (e && e.name) || 'Error', message: e && e.message };
    });
    Promise.all([opened, loadPose()])
      .then(function () {
        el.source.hidden = true;
        el.stage.hidden = false;
        el.controls.hidden = false;
        el.record.disabled = !el.override.checked;
        el.record.textContent = usingFile ? 'Analyse this video' : 'Start recording';
        setState('setup');
        progress.framesSeen = 0;
        progress.framesWithPose = 0;
        say('Looking for you…');
        setupLoop();
      })
      .catch(function (e) {
        if (e && e.camera) {
          fail(cameraMessage(e), e.name + (e.message ? ': ' + e.message : ''));
        } else {
          fail('The body-tracking model could not be loaded. You can try again, or go back to the questions.', e && (e.message || String(e)));
        }
      });
  });

  /** Wait for the next painted frame (or a short while, where the tab is hidden). */
  function nextFrame() {
    return new Promise(function (resolve) {
      var done = false;
      var finish = function () {
        if (!done) {
          done = true;
          resolve();
        }
      };
      requestAnimationFrame(finish);
      setTimeout(finish, 100);
    });
  }

  // ---- set-up: live framing feedback --------------------------------------------------------------------

  function setupLoop() {
    var id = ++loopId;
    var good = 0;
    var bad = 0;
    var badSince = 0;
    var offered = false;
    var lastTime = -1;
    var step = function () {
      if (id !== loopId || progress.state !== 'setup') return;
      var v = el.video;
      if (v.readyState < 2 || v.currentTime === lastTime) {
        nextFrame().then(step);
        return;
      }
      lastTime = v.currentTime;
      detect().then(function (lm) {
        if (id !== loopId || progress.state !== 'setup') return;
        draw(lm);
        var framing = judgeFraming(lm, v.videoWidth, v.videoHeight);
        progress.framing = framing;
        var now = performance.now();
        if (framing.ok) {
          good += 1;
          bad = 0;
          if (good >= GOOD_FRAMES_NEEDED) offered = true;
        } else {
          good = 0;
          if (bad === 0) badSince = now;
          bad += 1;
          if (bad >= BAD_FRAMES_TO_WITHDRAW && now - badSince >= BAD_MS_TO_WITHDRAW) offered = false;
        }
        if (offered !== progress.recordOffered) note(offered ? 'recording offered' : 'recording withdrawn');
        progress.recordOffered = offered;
        say(framing.message);
        el.record.disabled = !(offered || el.override.checked);
        nextFrame().then(step);
      }, onModelError);
    };
    step();
  }

  function onModelError(e) {
    fail('The body tracking stopped with an error. You can try again, or go back to the questions.', e && (e.message || String(e)));
  }

  el.override.addEventListener('change', function () {
    if (progress.state === 'setup') el.record.disabled = !(el.override.checked || progress.recordOffered);
  });

  // ---- recording --------------------------------------------------------------------------------------

  var frames = [];
  var startedAt = 0;

  function round4(v) {
    return Math.round(v * 10000) / 10000;
  }

  function keep(t, lm) {
    frames.push({
      t: round4(t),
      landmarks: lm
        ? lm.slice(0, 33).map(function (p) {
          return [round4(p.x), round4(p.y), round4(p.z), round4(p.visibility === undefined ? 0 : p.visibility)];
        })
        : null,
    });
    progress.recordedFrames = frames.length;
  }

  el.record.addEventListener('click', function () {
    note('record pressed');
    if (progress.state !== 'setup') return;
    frames = [];
    setState('recording');
    el.record.hidden = true;
    el.override.parentElement.hidden = true;
    el.stop.hidden = false;
    el.timer.hidden = false;
    if (usingFile) {
      say('Analysing the video… This can take a while on an older phone. It stops by itself at the end (or after 30 seconds of video).');
      el.stop.textContent = 'Stop here and analyse';
      analyseFile();
    } else {
      say('Recording. Do 3 to 5 slow squats, then press "Stop and analyse". It stops by itself after 30 seconds.');
      recordLoop();
    }
  });

  el.stop.addEventListener('click', finish);

  function showTimer(t) {
    el.timer.textContent = (usingFile ? 'Analysed: ' : 'Recording: ') + Math.floor(t) + ' s of ' + MAX_SECONDS + ' s';
  }

  function recordLoop() {
    var id = ++loopId;
    var lastTime = -1;
    startedAt = performance.now();
    var step = function () {
      if (id !== loopId || progress.state !== 'recording') return;
      var v = el.video;
      var now = performance.now();
      if ((now - startedAt) / 1000 >= MAX_SECONDS) {
        finish();
        return;
      }
      if (v.readyState < 2 || v.currentTime === lastTime) {
        nextFrame().then(step);
        return;
      }
      lastTime = v.currentTime;
      var t = (now - startedAt) / 1000; // the moment the frame was taken, not when the model was done
      detect().then(function (lm) {
        if (id !== loopId || progress.state !== 'recording') return;
        keep(t, lm);
        draw(lm);
        showTimer(t);
        nextFrame().then(step);
      }, onModelError);
    };
    step();
  }

  function seek(v, t) {
    return new Promise(function (resolve) {
      var timer = setTimeout(resolve, 2000); // a seek that never reports must not hang the analysis
      v.addEventListener('seeked', function () {
        clearTimeout(timer);
        resolve();
      }, { once: true });
      v.currentTime = t;
    });
  }

  function analyseFile() {
    var id = ++loopId;
    var v = el.video;
    v.pause();
    v.loop = false;
    // The model's smoothing needs rising timestamps (ms): the video's own time, after the set-up's.
    // (pose.reset() would do too, but it rebuilds the graph: seconds on a slow device.)
    var base = Math.ceil(performance.now()) + 1000;
    var end = Math.min(isFinite(v.duration) ? v.duration : MAX_SECONDS, MAX_SECONDS);
    var i = 0;
    var step = function () {
      if (id !== loopId || progress.state !== 'recording') return;
      var t = i * FILE_STEP_S;
      if (t > end) {
        finish();
        return;
      }
      seek(v, t)
        .then(function () {
          // A recorded .webm often declares no duration: a seek past the end lands on the last frame.
          if (i > 0 && (v.ended || v.currentTime < t - FILE_STEP_S / 2)) return 'end';
          return detect(base + Math.round(t * 1000));
        })
        .then(function (lm) {
          if (id !== loopId || progress.state !== 'recording') return;
          if (lm === 'end') {
            finish();
            return;
          }
          keep(t, lm);
          draw(lm);
          showTimer(t);
          i += 1;
          step();
        }, onModelError);
    };
    step();
  }

  /** Measured frames per second of the recording: frames over the time they span. */
  function measuredFps() {
    if (frames.length < 2) return 0;
    var span = frames[frames.length - 1].t - frames[0].t;
    return span > 0 ? Math.round(((frames.length - 1) / span) * 100) / 100 : 0;
  }

  function finish() {
    if (progress.state !== 'recording') return;
    setState('submitting');
    var width = el.video.videoWidth;
    var height = el.video.videoHeight;
    stopTracks();
    el.stop.disabled = true;
    say('Analysing your squat…');
    var series = { view: VIEW, fps: measuredFps(), width: width, height: height, frames: frames };
    el.landmarks.value = JSON.stringify(series);
    if (pose) pose.close();
    el.form.submit();
  }
})();
