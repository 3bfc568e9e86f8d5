"use strict";
exports.id = 482;
exports.ids = [482];
exports.modules = {

/***/ 482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findRunsInAnnotations: () => (/* binding */ findRunsInAnnotations)
/* harmony export */ });
/* harmony import */ var _run_metadata_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5094);

// Bounds on what one step asks GitHub: the attempts looked back, and the jobs whose annotations are read.
const ATTEMPTS_BACK = 3;
const MAX_JOBS = 30;
/**
 * Each plan's run in the latest earlier attempt whose jobs' annotations name one. A plan named with two different runs
 * in one attempt (two jobs run it) is left out: which run is this step's cannot be told. Throws octokit's errors.
 */
async function findRunsInAnnotations(octokit, where) {
    const found = new Map();
    const wanted = new Set(where.planIds);
    for (let attempt = where.attempt - 1; attempt >= Math.max(1, where.attempt - ATTEMPTS_BACK); attempt--) {
        if (wanted.size === 0)
            break;
        const jobs = await attemptJobs(octokit, where, attempt);
        const inAttempt = new Map();
        for (const job of jobs) {
            // A job without both ends cannot tie a run to itself: its notices are not read.
            const startedBetween = jobWindow(job);
            if (startedBetween === undefined)
                continue;
            const annotations = await octokit.paginate(octokit.rest.checks.listAnnotations, {
                owner: where.owner,
                repo: where.repo,
                check_run_id: job.id,
                per_page: 100
            });
            for (const annotation of annotations) {
                if (annotation.annotation_level !== 'notice' || annotation.title !== _run_metadata_js__WEBPACK_IMPORTED_MODULE_0__/* .RUN_ANNOTATION_TITLE */ .d9)
                    continue;
                for (const entry of (0,_run_metadata_js__WEBPACK_IMPORTED_MODULE_0__/* .parseRunAnnotation */ .gX)(annotation.message ?? '')) {
                    if (!wanted.has(entry.plan) || entry.attempt !== attempt)
                        continue;
                    const earlier = inAttempt.get(entry.plan);
                    if (earlier !== undefined && (earlier === 'several' || earlier.runId !== entry.run)) {
                        inAttempt.set(entry.plan, 'several');
                        continue;
                    }
                    inAttempt.set(entry.plan, {
                        runId: entry.run,
                        attempt: entry.attempt,
                        sha: entry.sha,
                        source: `the check annotations of attempt ${attempt}`,
                        startedBetween,
                        ...(entry.root === undefined ? {} : { rootRunId: entry.root })
                    });
                }
            }
        }
        for (const [plan, run] of inAttempt) {
            wanted.delete(plan);
            if (run !== 'several')
                found.set(plan, run);
        }
    }
    return found;
}
/** The attempt's jobs, those that failed first (a run that did not pass fails its job), at most `MAX_JOBS`. */
async function attemptJobs(octokit, where, attempt) {
    const jobs = [];
    const pages = octokit.paginate.iterator(octokit.rest.actions.listJobsForWorkflowRunAttempt, {
        owner: where.owner,
        repo: where.repo,
        run_id: where.runId,
        attempt_number: attempt,
        per_page: 100
    });
    for await (const page of pages) {
        jobs.push(...page.data);
        if (jobs.length >= 3 * MAX_JOBS)
            break;
    }
    const failedFirst = [
        ...jobs.filter(job => job.conclusion === 'failure'),
        ...jobs.filter(job => job.conclusion !== 'failure')
    ];
    return failedFirst.slice(0, MAX_JOBS);
}
/** When the job ran, in ms since the epoch, when GitHub says both ends. */
function jobWindow(job) {
    const from = Date.parse(job.started_at ?? '');
    const to = Date.parse(job.completed_at ?? '');
    return Number.isFinite(from) && Number.isFinite(to) && to >= from ? { from, to } : undefined;
}


/***/ })

};
;