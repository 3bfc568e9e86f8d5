"use strict";
exports.id = 726;
exports.ids = [726];
exports.modules = {

/***/ 4726:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  UploadStepError: () => (/* binding */ UploadStepError),
  uploadApp: () => (/* binding */ uploadApp)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(9809);
// EXTERNAL MODULE: ./src/testsigma/transport.ts
var transport = __webpack_require__(142);
// EXTERNAL MODULE: ./src/text.ts
var src_text = __webpack_require__(8992);
// EXTERNAL MODULE: ./src/testsigma/upload-answers.ts
var upload_answers = __webpack_require__(5608);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/upload/multipart.ts
/**
 * A multipart/form-data body (RFC 7578) of text fields and one file, streamed with its exact length known before
 * the first byte: the fields and the file part's header are a few hundred bytes built here, the file is read as it
 * is sent. Its own small writer rather than a library: all it needs is this layout, and the `form-data` package
 * computes a known length only when told each stream's size, adds a dependency to the bundle for ~40 lines, and
 * does not check that the file still has the size it declared.
 */

const CRLF = '\r\n';
/**
 * The body's parts around the file, for `fields` (in order) and `file`. `boundary` is random (the caller's
 * `randomBytes`), 1 to 70 characters of letters, digits, `-`, `_` and `.`.
 */
function multipartLayout(fields, file, boundary) {
    if (!/^[A-Za-z0-9._-]{1,70}$/.test(boundary))
        throw new Error(`not a usable multipart boundary: ${boundary}`);
    const parts = fields.map(([name, value]) => `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(name)}"${CRLF}${CRLF}${value}${CRLF}`);
    parts.push(`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(file.field)}"; ` +
        `filename="${escapeName(file.fileName)}"${CRLF}Content-Type: ${file.contentType}${CRLF}${CRLF}`);
    const head = Buffer.from(parts.join(''), 'utf8');
    const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');
    return {
        contentType: `multipart/form-data; boundary=${boundary}`,
        head,
        tail,
        contentLength: head.length + file.size + tail.length
    };
}
/** A field or file name inside quotes, escaped as browsers do (WHATWG HTML's form encoding): `"`, CR and LF. */
function escapeName(name) {
    return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** The file changed size between the check and the upload: the declared length would be a lie. */
class FileChangedError extends Error {
    constructor(fileName, declared, read) {
        super(`${fileName} changed while it was being uploaded (${declared} bytes when checked, ${read} read)`);
        this.name = 'FileChangedError';
    }
}
/**
 * The body as a stream: `layout.head`, the file's bytes from `openFile()` (exactly `size` of them, or the stream
 * fails with `FileChangedError`), `layout.tail`. `onBytes` hears of every piece handed on, with the running total.
 */
function multipartStream(layout, file, openFile, onBytes) {
    async function* pieces() {
        let sent = 0;
        const handOn = (piece) => {
            sent += piece.length;
            onBytes?.(sent);
            return piece;
        };
        yield handOn(layout.head);
        let read = 0;
        for await (const chunk of openFile()) {
            const piece = chunk;
            read += piece.length;
            if (read > file.size)
                throw new FileChangedError(file.fileName, file.size, read);
            yield handOn(piece);
        }
        if (read !== file.size)
            throw new FileChangedError(file.fileName, file.size, read);
        yield handOn(layout.tail);
    }
    return external_node_stream_.Readable.from(pieces(), { objectMode: false });
}

;// CONCATENATED MODULE: ./src/upload/progress.ts
/** An upload's time limit and its progress lines. Pure: sizes and times in, numbers and words out. */


/**
 * An upload's own limit covers Testsigma's work after the last byte (storing and reading the app, synchronous on the
 * open-source server, docs §8.2) and the body at a slow but plausible rate: 2 Mbit/s, a tenth of what a hosted
 * runner usually manages. A 50 MiB build gets 5 min 20 s, a 300 MiB one 22 min; the caller caps it at timeout-minutes.
 */
const UPLOAD_BASE_MS = 120_000;
const SLOW_BYTES_PER_SECOND = 256 * 1024;
/** How often a running upload says how far it is. */
const PROGRESS_EVERY_MS = 5000;
function uploadTimeLimitMs(bytes) {
    return UPLOAD_BASE_MS + Math.ceil((bytes / SLOW_BYTES_PER_SECOND) * 1000);
}
/** "Uploading app-release.apk: 12.5 MiB of 50 MiB (25 %), 4.2 MiB/s, about 9 s left". */
function describeUploadProgress(progress) {
    const { sentBytes, totalBytes, elapsedMs } = progress;
    const percent = totalBytes === 0 ? 100 : Math.floor((sentBytes / totalBytes) * 100);
    const done = `${(0,transport/* describeBytes */.nI)(sentBytes)} of ${(0,transport/* describeBytes */.nI)(totalBytes)} (${percent} %)`;
    if (sentBytes >= totalBytes)
        return `Uploaded ${progress.fileName}: ${done}; waiting for Testsigma's answer`;
    if (elapsedMs <= 0 || sentBytes === 0)
        return `Uploading ${progress.fileName}: ${done}`;
    const bytesPerSecond = sentBytes / (elapsedMs / 1000);
    const leftMs = ((totalBytes - sentBytes) / bytesPerSecond) * 1000;
    return (`Uploading ${progress.fileName}: ${done}, ${(0,transport/* describeBytes */.nI)(bytesPerSecond)}/s, ` +
        `about ${(0,src_text/* formatDuration */.a3)(leftMs)} left`);
}

;// CONCATENATED MODULE: ./src/testsigma/upload-readiness.ts
/**
 * Whether an uploaded version is ready to run on, from an upload answer (docs/testsigma-api.md §8.1, §8.3): the
 * create or update answer (nested: the version's `status`, `signStatus`, `errorMessage` in `latestVersion`) or
 * `GET /uploads/{id}` (flat: the upload's `uploadStatus` and `message`; the version only in `appPath`). The documented
 * values are `status: "SUCCESS"`, `signStatus: "NONE"`, `uploadStatus: "Completed"` (ready) and, in the 2022–2023
 * docs and on the open-source server, `uploadStatus: "InProgress"` (processing); the open-source server also has
 * `Failed`. What the nested answer says while processing or signing, and either after a failure, is not documented.
 * So the rule is:
 *
 * - failed: a non-empty `errorMessage`, or a status field that reads a failure (`Failed`, `FAILURE`, `ERROR`, …);
 * - ready: every status field present reads a ready value, or the answer has no status field at all (nothing says
 *   otherwise, as in the docs' version list);
 * - otherwise still processing, whatever the value (a known "in progress" or one new to this action): keep waiting,
 *   within timeout-minutes. A version is never taken as ready on a value the action does not know.
 *
 * `status` as a number (the flat shape's 1 for an active upload) says nothing about processing and is ignored.
 */

const STATUS_FIELDS = ['status', 'uploadStatus', 'signStatus'];
const READY = {
    status: ['SUCCESS', 'COMPLETED'],
    uploadStatus: ['COMPLETED'],
    signStatus: ['NONE', 'SUCCESS', 'COMPLETED', 'SIGNED']
};
const FAILED = /^(failed|failure|error|errored)$/i;
const IN_PROGRESS = /^(in[ _]?progress|processing|pending|queued|uploading|signing|not[ _]?signed)$/i;
/**
 * The readiness of version `versionId` in `answer`: a create or update answer, or `GET /uploads/{id}`. The version's
 * own fields are read (`latestVersion` when it is this version), with the upload's `uploadStatus` beside them. The
 * flat answer of `GET` is the upload's latest version, named only by the number in its `appPath`: when that is
 * another version (another upload came in between), this one is `superseded`; a path that names no version (the
 * pre-versioning layout of the docs' own sample) is read as this version's.
 */
function versionReadiness(answer, versionId) {
    if (!(0,upload_answers/* isObject */.Gv)(answer))
        return { state: 'processing', reading: 'an answer that is not an object', unknown: [] };
    const latest = (0,upload_answers/* isObject */.Gv)(answer.latestVersion) ? answer.latestVersion : undefined;
    const latestId = (0,upload_answers/* exactId */.pI)(latest?.id) ?? (0,upload_answers/* exactId */.pI)(answer.latestVersionId) ?? (0,upload_answers/* versionIdInPath */.Qm)(answer.appPath, (0,upload_answers/* exactId */.pI)(answer.id));
    if (latestId !== undefined && latestId !== versionId)
        return { state: 'superseded', latestVersionId: latestId };
    const readings = [];
    for (const field of STATUS_FIELDS) {
        const value = latest?.[field] ?? answer[field];
        if (typeof value === 'string' && value.trim() !== '')
            readings.push([field, value.trim()]);
    }
    const errorMessage = latest?.errorMessage ?? answer.errorMessage;
    if (typeof errorMessage === 'string' && errorMessage.trim() !== '') {
        return { state: 'failed', message: errorMessage.trim() };
    }
    const failed = readings.filter(([, value]) => FAILED.test(value));
    if (failed.length > 0) {
        // The flat answer's `message` ("Uploaded successfully" when ready) is the only text that may say why.
        const message = typeof answer.message === 'string' ? answer.message.trim() : '';
        return { state: 'failed', message: message !== '' ? message : describeReadings(failed) };
    }
    if (readings.length === 0)
        return { state: 'ready', statusless: true };
    const waiting = readings.filter(([field, value]) => !READY[field].includes(value.toUpperCase()));
    if (waiting.length === 0)
        return { state: 'ready', statusless: false };
    return {
        state: 'processing',
        reading: describeReadings(waiting),
        unknown: waiting.filter(([, value]) => !IN_PROGRESS.test(value)).map(([field, value]) => `${field} ${value}`)
    };
}
function describeReadings(readings) {
    return readings.map(([field, value]) => `${field} ${value}`).join(', ');
}

;// CONCATENATED MODULE: ./src/upload/upload-app.ts
/**
 * The app build's way into Testsigma, before the trigger: find the upload (by id, or by name), create it only when
 * `app-upload-create` asks, send the file as a new version (streamed, never read whole), and wait, within
 * timeout-minutes, until Testsigma says the version is ready. Throws `UploadStepError` (or the client's
 * `TestsigmaError`) with what happened and what to do; the caller starts no run then.
 */








/** Why no run was started after the upload step. */
class UploadStepError extends Error {
    brief;
    constructor(message, 
    /** The few words for the summary's answer line. */
    brief) {
        super(message);
        this.brief = brief;
        this.name = 'UploadStepError';
    }
}
// Testsigma's web page takes apps of up to 300 MB (docs §8.1); its API's limit is not documented.
const WEB_LIMIT_BYTES = 300 * 1024 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;
const DEFAULT_PLATFORM_TYPE = 'TestsigmaLab';
const APK_CONTENT_TYPE = 'application/vnd.android.package-archive';
async function uploadApp(app, archive, deps, 
/**
 * timeout-minutes' end (clock time), the interval between readiness checks, and who to tell as soon as a version
 * exists (it is reported even when the step ends before it is ready).
 */
limits) {
    const { log } = deps;
    const reads = {
        request: 'read',
        clock: deps.clock,
        deadline: limits.deadline,
        signal: deps.signal,
        random: deps.random,
        policy: (0,retry/* withShortStreak */.hb)()
    };
    const existing = await findUpload(app, deps, reads);
    const label = labelOf(existing?.id, existing?.name ?? ('name' in app.upload ? app.upload.name : undefined));
    if (existing?.uploadType !== undefined && /^(APK|IPA)$/i.test(existing.uploadType)) {
        if (existing.uploadType.toUpperCase() !== archive.kind) {
            throw new UploadStepError(`Upload ${label} holds ${existing.uploadType.toUpperCase()} builds, and app-file ${JSON.stringify(archive.path)} ` +
                `is an ${archive.kind}: nothing was uploaded. Check app-upload and app-file.`, `app-file is an ${archive.kind}, upload ${label} holds ${existing.uploadType.toUpperCase()} builds`);
        }
    }
    const projectId = app.projectId ?? existing?.projectId;
    if (projectId === undefined) {
        throw new UploadStepError(`Testsigma's answer for upload ${label} names no projectId, which a new version needs: set app-project-id ` +
            "(the number after /uploads/ in the upload's Copy Path). Nothing was uploaded.", "the upload's project is not known (set app-project-id)");
    }
    const uploadName = existing?.name ?? ('name' in app.upload ? app.upload.name : String(app.upload.id));
    const fields = [
        ['projectId', String(projectId)],
        // The update overwrites the name (docs §8.2), so an existing upload's own name is sent back.
        ['name', uploadName],
        ['uploadType', archive.kind],
        ['platformType', existing?.platformType ?? DEFAULT_PLATFORM_TYPE]
    ];
    if (existing?.isPublic !== undefined)
        fields.push(['isPublic', String(existing.isPublic)]);
    if (app.versionName !== undefined)
        fields.push(['version', app.versionName]);
    const versionWords = app.versionName === undefined
        ? 'without a version name (no build-number, and no GITHUB_SHA)'
        : `as version ${JSON.stringify(app.versionName)} (from ${app.versionNameFrom ?? 'build-number'})`;
    const target = existing === undefined ? `a new upload ${label} in project ${projectId}` : `upload ${label}`;
    log.info(`Uploading ${archive.fileName} (${archive.kind}, ${(0,transport/* describeBytes */.nI)(archive.size)}) ${versionWords} to ${target}`);
    if (archive.size > WEB_LIMIT_BYTES) {
        log.warning(`${archive.fileName} is ${(0,transport/* describeBytes */.nI)(archive.size)}: Testsigma's web page refuses apps over 300 MB, and ` +
            'its API may too');
    }
    const answer = await sendBuild(existing?.id, label, fields, archive, deps, limits.deadline);
    const uploaded = {
        uploadId: answer.upload.id,
        uploadName: answer.upload.name?.trim() || uploadName,
        versionId: answer.upload.latestVersionId,
        versionName: app.versionName,
        fileName: archive.fileName,
        created: existing === undefined
    };
    const stored = labelOf(uploaded.uploadId, uploaded.uploadName);
    log.info(`Testsigma stored upload version ${uploaded.versionId} of upload ${stored}`);
    limits.onStored?.(uploaded);
    await waitUntilReady(uploaded, stored, answer.answer, deps, reads, limits);
    return uploaded;
}
/** The upload named or numbered by `app-upload`; undefined when it is to be created. */
async function findUpload(app, deps, reads) {
    if ('id' in app.upload) {
        const uploadId = app.upload.id;
        return (await (0,retry/* withRetry */.bD)(() => deps.client.getUpload(uploadId, deps.signal), reads)).upload;
    }
    const name = app.upload.name;
    const matches = (0,upload_answers/* uploadsNamed */.S1)(await (0,retry/* withRetry */.bD)(() => deps.client.findUploads(name, deps.signal), reads), name);
    if (matches.length === 1)
        return matches[0];
    if (matches.length > 1) {
        const ids = matches.map(upload => upload.id).join(', ');
        throw new UploadStepError(`${matches.length} uploads in Testsigma are named ${JSON.stringify(name)} (ids ${ids}): set app-upload to the ` +
            'id of the one to add the build to. Nothing was uploaded.', `${matches.length} uploads are named ${JSON.stringify(name)}`);
    }
    if (!app.create) {
        throw new UploadStepError(`Testsigma has no upload named ${JSON.stringify(name)} for this API key, so nothing was uploaded. Check ` +
            "app-upload against Test Data → Uploads (the name is matched exactly), give the upload's id, or set " +
            'app-upload-create: true (with app-project-id) to create it.', `no upload is named ${JSON.stringify(name)}`);
    }
    deps.log.info(`No upload is named ${JSON.stringify(name)}: creating it (app-upload-create: true)`);
    return undefined;
}
/** Sends the form: once, unless the first certainly never arrived (`retry.ts`'s `upload` rule). */
async function sendBuild(uploadId, label, fields, archive, deps, deadline) {
    const boundary = `testsigma-action-${(0,external_node_crypto_.randomBytes)(16).toString('hex')}`;
    const contentType = archive.kind === 'APK' ? APK_CONTENT_TYPE : 'application/octet-stream';
    const file = { field: 'fileContent', fileName: archive.fileName, contentType, size: archive.size };
    const layout = multipartLayout(fields, file, boundary);
    const progress = { sent: 0, startedAt: deps.clock.now() };
    const describe = () => describeUploadProgress({
        fileName: archive.fileName,
        sentBytes: progress.sent,
        totalBytes: layout.contentLength,
        elapsedMs: deps.clock.now() - progress.startedAt
    });
    const ticker = setInterval(() => deps.log.info(describe()), PROGRESS_EVERY_MS);
    try {
        const send = () => {
            progress.sent = 0;
            progress.startedAt = deps.clock.now();
            const body = {
                length: layout.contentLength,
                open: () => multipartStream(layout, file, 
                // From the file as it was opened and checked, from its start (a second attempt reads it again).
                () => archive.file.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES }), sent => (progress.sent = sent))
            };
            const timeoutMs = uploadTimeLimitMs(layout.contentLength);
            return deps.client.sendAppBuild({ uploadId, label, fileName: archive.fileName, body, contentType: layout.contentType, timeoutMs }, deps.signal);
        };
        const answer = await (0,retry/* withRetry */.bD)(send, {
            request: 'upload',
            clock: deps.clock,
            deadline,
            signal: deps.signal,
            random: deps.random,
            policy: (0,retry/* withShortStreak */.hb)(),
            onRetry: (error, attempt, delayMs) => deps.log.warning(`The upload failed before reaching Testsigma (${(0,src_text/* oneLine */.TN)(error.message)}); attempt ${attempt + 1} in ` +
                (0,src_text/* formatDuration */.a3)(delayMs))
        });
        const tookMs = deps.clock.now() - progress.startedAt;
        const rate = tookMs > 0 ? `, ${(0,transport/* describeBytes */.nI)(layout.contentLength / (tookMs / 1000))}/s` : '';
        deps.log.info(`Uploaded ${archive.fileName} (${(0,transport/* describeBytes */.nI)(layout.contentLength)}) in ${(0,src_text/* formatDuration */.a3)(tookMs)}${rate}`);
        return answer;
    }
    catch (error) {
        if (error instanceof transport/* BodyStreamError */.P3) {
            throw new UploadStepError(`app-file ${JSON.stringify(archive.path)} could not be read to its end while it was uploaded ` +
                `(${(0,src_text/* oneLine */.TN)(error.message)}): the request was cut off before its end, so Testsigma got an incomplete ` +
                'file. It was not sent again, and no run was started.', 'app-file changed while it was uploaded');
        }
        throw error;
    }
    finally {
        clearInterval(ticker);
    }
}
/**
 * Reads the upload until Testsigma says the version is ready (`readiness.ts`'s rule), at the plan's poll interval,
 * within timeout-minutes. Says each new state once; a value new to this action once more, as such.
 */
async function waitUntilReady(uploaded, label, firstAnswer, deps, reads, limits) {
    const version = `Upload version ${uploaded.versionId}`;
    const startedAt = deps.clock.now();
    let answer = firstAnswer;
    let lastReading = '';
    const newValues = new Set();
    for (;;) {
        const readiness = versionReadiness(answer, uploaded.versionId);
        switch (readiness.state) {
            case 'ready':
                if (readiness.statusless) {
                    deps.log.info(`Testsigma's answer gives no processing status for ${version.toLowerCase()}: taking it as ready`);
                }
                deps.log.info(`${version} of upload ${label} is ready`);
                return;
            case 'failed':
                throw new UploadStepError(`Testsigma could not process ${version.toLowerCase()} of upload ${label}: ${(0,src_text/* oneLine */.TN)(readiness.message)}. ` +
                    'No run was started; check the build, and the upload in Testsigma (Test Data → Uploads).', `Testsigma could not process the app (${(0,src_text/* oneLine */.TN)(readiness.message)})`);
            case 'superseded':
                throw new UploadStepError(`Another version (${readiness.latestVersionId}) was added to upload ${label} while ${version.toLowerCase()} ` +
                    'was being processed, so its state can no longer be read, and no run was started on it. Do other ' +
                    'workflows upload to it at the same time? A concurrency group per upload keeps them apart.', 'another version of the app was uploaded meanwhile');
            case 'processing':
                if (readiness.reading !== lastReading) {
                    lastReading = readiness.reading;
                    deps.log.info(`${version} is being processed (${readiness.reading}); checking every ${(0,src_text/* formatDuration */.a3)(limits.pollIntervalMs)}`);
                }
                for (const value of readiness.unknown.filter(value => !newValues.has(value))) {
                    newValues.add(value);
                    deps.log.info(`${value} is new to this action; waiting until Testsigma says the version is ready`);
                }
        }
        const now = deps.clock.now();
        if (now + limits.pollIntervalMs > limits.deadline) {
            throw new UploadStepError(`${version} of upload ${label} was still being processed (${lastReading}) after ` +
                `${(0,src_text/* formatDuration */.a3)(now - startedAt)}, when timeout-minutes ran out; no run was started.`, 'the app was not ready before timeout-minutes ran out');
        }
        await deps.clock.sleep(limits.pollIntervalMs, deps.signal);
        answer = (await (0,retry/* withRetry */.bD)(() => deps.client.getUpload(uploaded.uploadId, deps.signal), reads)).answer;
    }
}
/** `"Shop Android" (id 62)`, `62`, or `"Shop Android"`. */
function labelOf(id, name) {
    const named = name === undefined ? undefined : JSON.stringify(name.trim());
    if (id === undefined)
        return named ?? 'the upload';
    return named === undefined ? String(id) : `${named} (id ${id})`;
}


/***/ })

};
;