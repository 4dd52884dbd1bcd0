// Runs one execution of a state machine definition with aws-local-stepfunctions (an independent ASL
// interpreter). Task states are dispatched to the Java test JVM over loopback HTTP; Wait states and retry
// pauses do not sleep: they advance the simulated AWS clock by their duration instead.
//
// usage: node run-asl.mjs <request.json>
//   request: { definition, input, executionName, startTime, endpoint, taskHandlers: {stateName: handler},
//              abortAfterState?: string }
// prints one JSON line: { status, output | error+cause, events: [...] }
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// The interpreter reads the time from Date (e.g. $$.Execution.StartTime): make that the simulated clock, which
// starts at request.startTime and moves only with Wait states and retry pauses, like the Java side's clock.
const RealDate = Date;
let simNow = new RealDate(request.startTime).getTime();
globalThis.Date = class SimDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(simNow);
    else super(...args);
  }
  static now() {
    return simNow;
  }
};
// resolve the interpreter from the project's node_modules (cwd = repository root)
const require = createRequire(path.join(process.cwd(), 'package.json'));
const { StateMachine, ExecutionAbortedError } = await import(pathToFileURL(require.resolve('aws-local-stepfunctions')).href);
const { JSONPath } = await import(pathToFileURL(require.resolve('jsonpath-plus')).href);

async function post(route, body) {
  const res = await fetch(request.endpoint + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`harness ${route} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

// Every state of the definition, nested branches included, by name.
function collectStates(def, into = {}) {
  for (const [name, state] of Object.entries(def.States)) {
    into[name] = state;
    for (const branch of state.Branches ?? []) collectStates(branch, into);
    if (state.Iterator) collectStates(state.Iterator, into);
    if (state.ItemProcessor) collectStates(state.ItemProcessor, into);
  }
  return into;
}

const states = collectStates(request.definition);
const waitTimeOverrides = {};
const retryIntervalOverrides = {};
for (const [name, state] of Object.entries(states)) {
  if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
  if (state.Retry) retryIntervalOverrides[name] = state.Retry.map(() => 0);
}

// The clock moves in order with the execution: every advance is chained, and a Task waits for the chain.
let clock = Promise.resolve();
const advance = (seconds, reason) => {
  if (seconds > 0) {
    simNow += Math.round(seconds * 1000);
    clock = clock.then(() => post('/advance', { seconds, reason, execution: request.executionName }));
  }
};
const yieldToEvents = () => new Promise((resolve) => setImmediate(resolve));

function waitSeconds(state, input) {
  if (state.Seconds !== undefined) return state.Seconds;
  if (state.SecondsPath) return Number(JSONPath({ path: state.SecondsPath, json: input, wrap: false }));
  throw new Error(`Wait state with Timestamp/TimestampPath is not supported by the harness`);
}

// Retry pause as Step Functions computes it: IntervalSeconds * BackoffRate^(attempt-1), capped by MaxDelaySeconds;
// with FULL jitter the pause is uniform in [0, that], drawn from a seeded generator so runs repeat.
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
function retryPause(retrier, attempt) {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let pause = interval * Math.pow(backoff, attempt - 1);
  if (retrier.MaxDelaySeconds !== undefined) pause = Math.min(pause, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') pause = random() * pause;
  return pause;
}

const events = [];
let execution;
let abortRequested = false;
const taskResourceLocalHandlers = {};
for (const [stateName, handler] of Object.entries(request.taskHandlers)) {
  taskResourceLocalHandlers[stateName] = async (input) => {
    await yieldToEvents();
    await yieldToEvents();
    await clock;
    if (abortRequested) {
      // like StopExecution while a Task is about to start: the execution ends, the Task never runs
      execution.abort();
      return new Promise(() => {});
    }
    const state = states[stateName];
    // a lambda:invoke Task passes its Payload; a direct function ARN passes its effective input
    const reply = await post('/invoke', { state: stateName, handler, input });
    if (reply.errorType) {
      // Lambda's error payload (a JSON string) becomes the Cause, its errorType the Error, as in Step Functions
      const err = new Error(reply.errorMessage ?? '');
      err.name = reply.errorType;
      throw err;
    }
    if (state.Resource === 'arn:aws:states:::lambda:invoke') {
      return { ExecutedVersion: '$LATEST', Payload: reply.result, StatusCode: 200 };
    }
    return reply.result;
  };
}

const machine = new StateMachine(request.definition, {
  validationOptions: { checkArn: false },
});
execution = machine.run(request.input, {
  overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
  context: { Execution: { Name: request.executionName, StartTime: request.startTime, Input: request.input } },
});

const consume = (async () => {
  for await (const event of execution.eventLogs) {
    const e = { type: event.type };
    if (event.state) e.state = event.state.name;
    if (event.Error !== undefined) { e.error = event.Error; e.cause = event.Cause; }
    if (event.type === 'StateEntered' && event.state.type === 'Wait') {
      const seconds = waitSeconds(states[event.state.name], event.state.input);
      e.seconds = seconds;
      advance(seconds, `wait ${event.state.name}`);
    }
    if (event.type === 'StateRetried') {
      const pause = retryPause(event.retry.retrier, event.retry.attempt);
      e.seconds = pause;
      e.retryOn = event.retry.retrier.ErrorEquals;
      advance(pause, `retry ${event.state.name}`);
    }
    events.push(e);
    if (request.abortAfterState && event.type === 'StateExited' && event.state.name === request.abortAfterState) {
      abortRequested = true;
    }
  }
})();

let outcome;
try {
  const output = await execution.result;
  outcome = { status: 'SUCCEEDED', output };
} catch (err) {
  if (err instanceof ExecutionAbortedError) {
    outcome = { status: 'ABORTED' };
  } else {
    outcome = { status: 'FAILED' };
  }
}
// after an abort the event stream may never close: give it a moment to flush, no more
await Promise.race([consume.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 200))]);
if (outcome.status === 'FAILED') {
  const failed = events.find((e) => e.type === 'ExecutionFailed');
  outcome.error = failed?.error;
  outcome.cause = failed?.cause;
}
await clock;
process.stdout.write(JSON.stringify({ ...outcome, events }) + '\n', () => process.exit(0));
