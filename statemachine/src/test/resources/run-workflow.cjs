// Runs a state machine definition with aws-local-stepfunctions, every Task answered by a scripted step.
//
//   node run-workflow.cjs <repository root> <definition.json> <scenario.json>
//
// scenario: { "input": {...}, "executionName": "...",
//             "tasks": { "<Task state>": [ step, ... ] } }   steps are used in order, the last one repeats
// step:     { "result": <value> } | { "addResources": {...} } | { "error": "<name>", "cause": "..." }
// A Task without steps answers like a handler that finds nothing to do: checks are done at once,
// ValidateInput turns the input into the document, every other handler returns the resources unchanged.
// Prints { status, output, error, cause, tasks: [Task states in call order] }.
'use strict';
const fs = require('fs');
const path = require('path');
const [root, definitionFile, scenarioFile] = process.argv.slice(2);
const { StateMachine } = require(path.join(root, 'node_modules', 'aws-local-stepfunctions'));

const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8'));
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
const steps = scenario.tasks || {};
const calls = [];

// what the check handlers report besides done (lambdas README)
const FACTS = {
  DescribeHelperInstance: { targetVolumeId: 'vol-0123456789abcdef0' },
  GetBootstrapCommand: { stage3Url: 'https://build.funtoo.org/next/stage3.tar.xz', stage3Sha256: 'e3b0c442',
                         bootstrapPhases: 'fetch-stage3:95,finish:9' },
};

// what ValidateInput fills in for an input that gives nothing (lambdas README): every field present
const CONFIG_DEFAULTS = {
  network: { temporary: true, subnetId: null, securityGroupId: null },
  smokeTest: { enabled: true, instanceType: 't3.micro' },
  publish: { ssmParameterName: '/funtoo-ami-builder/funtoo/x86_64/latest', launchPermissionAccountIds: [],
             public: false, copyToRegions: [], keepLatest: null, deprecateAfterDays: null },
  keepResources: false,
};

function validated(input) {
  const config = {};
  for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
    const given = input[key];
    config[key] = value !== null && typeof value === 'object' && given && typeof given === 'object'
      ? { ...value, ...given } : (given === undefined ? value : given);
  }
  return { ...input, ...config };
}

function defaultAnswer(state, input) {
  if (state === 'ValidateInput') {
    // like ValidateInputHandler: every field present, network.temporary false only when a subnet was given
    const config = validated(input.input);
    config.network.temporary = !config.network.subnetId;
    return { config: { ...config, buildId: input.buildId, startedAt: input.startedAt }, resources: {}, poll: {} };
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
const execution = machine.run(scenario.input || {}, {
  overrides: { taskResourceLocalHandlers: taskHandlers, waitTimeOverrides: waits, retryIntervalOverrides: retries },
  context: { Execution: { Name: scenario.executionName || 'build-1', StartTime: '2026-01-01T00:00:00Z' } },
});
execution.result.then(
  (output) => console.log(JSON.stringify({ status: 'SUCCEEDED', output, tasks: calls })),
  (failure) => {
    const cause = failure.cause || failure;
    console.log(JSON.stringify({ status: 'FAILED', error: cause.name, cause: cause.message, tasks: calls }));
  });
