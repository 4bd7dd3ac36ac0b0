import fc from 'fast-check';

// Property tests explore new random cases on every local run; CI uses one fixed seed so that a
// submission's result does not depend on luck (a failing seed found locally is printed for replay).
if (process.env.CI) fc.configureGlobal({ seed: 20261126 });
