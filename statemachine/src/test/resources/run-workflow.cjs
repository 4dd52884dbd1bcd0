// Runs a state machine definition with aws-local-stepfunctions, every Task answered by a scripted step.
//
//   node run-workflow.cjs <repository root> <definition.json> <scenario.json>
//
// scenario: { "input": {...}, "executionName": "...",
//             "validated": { "result": <document> } | { "error": "<ErrorName.InvalidInput.errorType()>", "cause": "..." },
//             "tasks": { "<Task state>": [ step, ... ] } }   steps are used in order, the last one repeats
// step:     { "result": <value> } | { "addResources": {...} } | { "error": "<name>", "cause": "..." }
// A Task without steps answers like a handler that finds nothing to do: checks are done at once,
// ValidateInput answers what the real ValidateInputHandler made of the input ("validated", computed by
// LocalRun), every other handler returns the resources unchanged.
// Prints { status, output, error, cause, tasks: [Task states in call order] }.
'use strict';
const fs = require('fs');
const path = require('path');
const { isDeepStrictEqual } = require('util');
const [root, definitionFile, scenarioFile] = process.argv.slice(2);
const { StateMachine } = require(path.join(root, 'node_modules', 'aws-local-stepfunctions'));

const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
const steps = scenario.tasks || {};
const calls = [];

// what the check handlers report besides done (lambdas README)
const FACTS = {
  CheckHelperInstanceRunning: { targetVolumeId: 'vol-0123456789abcdef0' },
  GetBootstrapCommand: { stage3Url: 'https://build.funtoo.org/next/stage3.tar.xz', stage3Sha256: 'e3b0c442',
                         bootstrapPhases: 'fetch-stage3:95,finish:9' },
};

function defaultAnswer(state, input) {
  if (state === 'ValidateInput') {
    // the real first state's answer, computed by the test (LocalRun) with ValidateInputHandler for exactly this
    // input and execution name; the harness keeps no copy of the input's defaults. (The engine stamps its own
    // clock as the start time; LocalRun validated with a fixed one.)
    const { startedAt, ...passed } = input;
    const expected = { input: scenario.input, buildId: scenario.executionName };
    if (!isDeepStrictEqual(passed, expected) || Number.isNaN(Date.parse(startedAt))) {
      throw new Error(`ValidateInput got ${JSON.stringify(input)}, LocalRun validated ${JSON.stringify(expected)}`);
    }
    if (!scenario.validated) {
      throw new Error('the scenario has no validated answer of the first state (LocalRun passes it)');
    }
    if (scenario.validated.error) {
      const error = new Error(scenario.validated.cause);
      error.name = scenario.validated.error;
      throw error;
    }
    return scenario.validated.result;
  }
  if (input && input.loop) {
    return { loop: input.loop.name, attempts: 1, done: true, timedOut: false, waitSeconds: 0, ...FACTS[state] };
  }
  if (state === 'SummarizeBuild') {
    return { imageId: input.resources.imageId || 'ami-summary' };
  }
  return (input && input.resources) || {};
}

function answer(state, input) {
  calls.push(state);
  const scripted = steps[state];
  if (!scripted || scripted.length === 0) {
    return defaultAnswer(state, input);
  }
  const step = scripted.length > 1 ? scripted.shift() : scripted[0];
  if (step.error) {
    const error = new Error(step.cause || step.error);
    error.name = step.error;
    throw error;
  }
  if (step.addResources) {
    return { ...input.resources, ...step.addResources };
  }
  return step.result;
}

const taskHandlers = {};
const waits = {};
const retries = {};
(function collect(machine) {
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Task') {
      taskHandlers[name] = async (input) => answer(name, input);
      retries[name] = 0;
    }
    if (state.Type === 'Wait') {
      waits[name] = 0;
    }
    (state.Branches || []).forEach(collect);
  }
})(definition);

const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
const execution = machine.run(scenario.input, {
  overrides: { taskResourceLocalHandlers: taskHandlers, waitTimeOverrides: waits, retryIntervalOverrides: retries },
  context: { Execution: { Name: scenario.executionName } },
});
execution.result.then(
  (output) => console.log(JSON.stringify({ status: 'SUCCEEDED', output, tasks: calls })),
  (failure) => {
    const cause = failure.cause || failure;
    console.log(JSON.stringify({ status: 'FAILED', error: cause.name, cause: cause.message, tasks: calls }));
  });
