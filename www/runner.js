// Runs the worker requests the page's views need, whenever the state they are made from changes.
//
// A job is { name, request(state) }: `request` returns what to ask the worker for the current
// state, { op, args, label, context } (or an array of them, answered together), or null when the
// job has nothing to do (its view hidden, an input missing). The runner keys each request by the
// file read and everything in it; a request whose key already has an answer, or is being
// answered, is not sent again. Answers land in state.results[name] as { key, context, args, value }
// or { key, context, args, error: { message, detail } } (for an array: value is an array of { value }
// or { error }, args an array); `args` are those the worker was asked with. `context` is the part
// of the settings a view needs to present the answer (names, units): it is part of the key, so a view renders an answer with the settings it was computed
// for, and an answer to an older request is dropped. A view knows its answer is not yet the
// current one with isCurrent(state, job).

/** The key of a job's request for this state, or null when there is nothing to ask. */
export function requestKey(state, job) {
  const request = job.request(state);
  return request && state.file ? `${state.file.generation} ${JSON.stringify(strip(request))}` : null;
}

function strip(request) {
  return Array.isArray(request) ? request.map(strip) : { op: request.op, args: request.args, context: request.context };
}

/** Whether the job's stored answer is for the current state (false while a newer one is computed). */
export function isCurrent(state, job) {
  const key = requestKey(state, job);
  return key !== null && state.results[job.name]?.key === key;
}

/** Starts answering the jobs' requests for every state of the store; `call` asks the worker. */
export function startRunner(store, call, jobs) {
  const asked = new Map();
  const ask = async (request) => {
    try {
      return { value: await call(request.op, request.args, request.label) };
    } catch (error) {
      return { error: { message: error.message, detail: error.detail ?? null } };
    }
  };
  const run = (state) => {
    for (const job of jobs) {
      const key = requestKey(state, job);
      // Nothing to ask now: an answer still on its way belongs to an older state and is dropped.
      if (key === null) asked.delete(job.name);
      if (key === null || state.results[job.name]?.key === key || asked.get(job.name) === key) continue;
      asked.set(job.name, key);
      const request = job.request(state);
      const context = Array.isArray(request) ? request.map((r) => r.context) : request.context;
      // The settings an answer was computed with stay with it (the R script of a result uses them).
      const args = Array.isArray(request) ? request.map((r) => r.args) : request.args;
      const answer = Array.isArray(request) ? Promise.all(request.map(ask)).then((value) => ({ value })) : ask(request);
      answer.then((result) => {
        if (asked.get(job.name) !== key) return;
        asked.delete(job.name);
        store.set(['results', job.name], { key, context, args, ...result });
      });
    }
  };
  store.subscribe(run);
  run(store.state);
}
