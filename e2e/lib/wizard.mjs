// What a person answers in the assessment wizard, and walking through it.

import assert from 'node:assert/strict';

import { answer, go, pathOf } from './browser.mjs';

/** The answers given on each wizard page, in the order the pages come. */
export const JOURNEY = [
  {
    group: 'about',
    answers: {
      age: '41',
      sex: 'female',
      side: 'right',
      activity: ['running', 'walking'],
      sitting_hours_per_day: '7',
    },
  },
  // flags: every safety question answered "no", whichever the page asks (answerAllSafetyQuestionsNo).
  { group: 'flags', answers: 'all-no' },
  // A gradual onset: the injury questions that follow an injury are not asked.
  { group: 'injury', answers: { 'pain.onset': 'gradual' } },
  {
    group: 'pain',
    answers: {
      'pain.location': ['front'],
      'pain.now': '3',
      'pain.worst_week': '6',
      'pain.duration_weeks': '16',
      'pain.worse_with': ['stairs_down', 'squatting', 'sitting_long', 'running'],
      'pain.morning_stiffness_minutes': '5',
      'pain.swelling': 'none',
      'pain.clicking_catching': 'no',
      'pain.giving_way': 'no',
      'pain.limp': 'no',
      'history.previous_knee_surgery': 'no',
      'history.knee_treatment_failed': 'yes',
      'history.diagnosed_arthritis': 'no',
    },
  },
  {
    group: 'back',
    answers: {
      'back.pain': 'none',
      'back.stiffness': 'no',
      'back.leg_symptoms': 'none',
      'back.bending_reproduces_knee_pain': 'no',
    },
  },
  // "I did the squat" opens the squat's details on the same page.
  { group: 'squat', answers: { 'squat.done': 'yes' } },
  {
    group: 'squat',
    answers: {
      'squat.knee_caves_in': 'right',
      'squat.back_rounds': 'no',
      'squat.heels_lift': 'no',
      'squat.feet_turn_out': 'no',
      'squat.leans_forward': 'no',
      'squat.depth': 'thighs_parallel',
      'squat.pain': '3',
    },
  },
  {
    group: 'single_leg_squat',
    answers: {
      'single_leg_squat.knee_caves_in': 'right',
      'single_leg_squat.pelvis_drops': 'right',
      'single_leg_squat.pain': '4',
    },
  },
  { group: 'back_ball', answers: { 'back_ball.stiffer_side': 'none', 'back_ball.tender': 'no' } },
  {
    group: 'ankle',
    answers: {
      'ankle.knee_to_wall_left_cm': '11',
      'ankle.knee_to_wall_right_cm': '10.5',
      'ankle.previous_sprain': 'none',
      'feet.arches_flatten': 'no',
    },
  },
  {
    group: 'hip',
    answers: {
      'hip.single_leg_stance_drop': 'right',
      'hip.extension_tight': 'none',
      'hip.rotation_restricted': 'none',
      'hip.rotation_painful': 'none',
      'hip.side_lying_lift_weak': 'right',
    },
  },
  {
    group: 'prefs',
    answers: {
      'prefs.minutes_per_day': '20',
      'prefs.days_per_week': '3',
      'prefs.equipment': ['band', 'step', 'wall', 'chair'],
      'prefs.floor_ok': 'yes',
    },
  },
];

/**
 * Answer the wizard's pages from `steps` (default: JOURNEY), starting on the first step's page. Before
 * answering each page, `onPage(step, index)` is awaited (for axe or a screenshot). Ends on the page the
 * last "Next" or "See my results" leads to.
 */
export async function walkWizard(page, { steps = JOURNEY, onPage = async () => {} } = {}) {
  for (const [i, step] of steps.entries()) {
    assert.equal(pathOf(page), `/assess/${step.group}`, `expected the ${step.group} page (step ${i + 1})`);
    await onPage(step, i);
    if (step.answers === 'all-no') {
      await answerAllSafetyQuestionsNo(page);
    } else {
      await answer(page, step.answers);
    }
    const last = await page.getByRole('button', { name: 'See my results', exact: true }).count();
    await go(page, 'button', last ? 'See my results' : 'Next');
  }
}

/** Answer "no" to every question on the safety page, checking that it only asks yes/no flag questions. */
export async function answerAllSafetyQuestionsNo(page) {
  const names = await page
    .locator('form input[type=radio]')
    .evaluateAll((els) => [...new Set(els.map((e) => e.name))]);
  assert.ok(names.length >= 10, `expected the safety questions, found ${names.join(', ')}`);
  assert.ok(names.every((n) => n.startsWith('flag.')), `the safety page asks only flag.* questions: ${names}`);
  for (const n of names) {
    const values = await page.locator(`form input[name="${n}"]`).evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(values, ['yes', 'no'], `${n} is a yes/no question`);
  }
  await answer(page, Object.fromEntries(names.map((n) => [n, 'no'])));
}
