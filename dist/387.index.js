"use strict";
exports.id = 387;
exports.ids = [387,699];
exports.modules = {

/***/ 8699:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  closeAppFile: () => (/* binding */ closeAppFile),
  u: () => (/* binding */ inspectAppFile)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/workspace.ts
var workspace = __webpack_require__(3338);
;// CONCATENATED MODULE: ./src/upload/archive.ts
/**
 * What kind of app a file is, by its content: APK and IPA files are zip archives, told apart by the names in the
 * zip's central directory (an APK has `AndroidManifest.xml` at its root, an IPA has `Payload/<name>.app/`). Pure:
 * the caller reads the bytes these functions ask for (`app-file.ts`), so no more than the first bytes, the end
 * of the file and the central directory are ever in memory.
 */
/** The end record, the ZIP64 locator before it, and the longest comment: the most of a file's end ever needed. */
const TAIL_BYTES = 22 + 20 + 0xffff;
/** The first bytes: a local file header's signature. */
const HEAD_BYTES = 4;
/** The ZIP64 end record's fixed part. */
const ZIP64_RECORD_BYTES = 56;
/**
 * A central directory larger than this is refused rather than read: an IPA with 20,000 files has one of a few MiB.
 * It bounds the memory the check takes, whatever the file.
 */
const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_RECORD = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const NOT_A_ZIP = 'it is not a zip archive, and APK and IPA files are zip archives';
/** Whether the file starts as a zip archive does (a local file header), from its first `HEAD_BYTES`. */
function startsLikeZip(head) {
    return head.length >= 4 && head.readUInt32LE(0) === LOCAL_HEADER;
}
/**
 * Finds the end record in `tail` (the last bytes of a file of `fileSize` bytes; `TAIL_BYTES` or the whole file) and
 * reads where the central directory is. The record is searched from the end, and only one whose comment ends exactly
 * at the file's end counts, so a comment or a stored file that happens to hold the signature does not fool it.
 */
function locateCentralDirectory(tail, fileSize) {
    const tailStart = fileSize - tail.length;
    for (let at = tail.length - 22; at >= 0; at--) {
        if (tail.readUInt32LE(at) !== END_RECORD || at + 22 + tail.readUInt16LE(at + 20) !== tail.length)
            continue;
        const entries = tail.readUInt16LE(at + 10);
        const size = tail.readUInt32LE(at + 12);
        const offset = tail.readUInt32LE(at + 16);
        if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
            // A ZIP64 archive: the real figures are in the ZIP64 end record, which the locator before this record names.
            const locatorAt = at - 20;
            if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) {
                return { refused: `${NOT_A_ZIP} (its ZIP64 end record cannot be found)` };
            }
            const recordAt = Number(tail.readBigUInt64LE(locatorAt + 8));
            if (recordAt + ZIP64_RECORD_BYTES > tailStart + locatorAt)
                return { refused: `${NOT_A_ZIP} (a broken ZIP64 end)` };
            return { zip64RecordAt: recordAt };
        }
        return checkedPlace({ offset, size, entries }, tailStart + at);
    }
    return { refused: `${NOT_A_ZIP} (no end-of-central-directory record)` };
}
/** Reads the ZIP64 end record (`ZIP64_RECORD_BYTES` read at `recordAt`). */
function readZip64Record(record, recordAt) {
    if (record.length < ZIP64_RECORD_BYTES || record.readUInt32LE(0) !== ZIP64_END_RECORD) {
        return { refused: `${NOT_A_ZIP} (a broken ZIP64 end record)` };
    }
    const place = {
        entries: Number(record.readBigUInt64LE(32)),
        size: Number(record.readBigUInt64LE(40)),
        offset: Number(record.readBigUInt64LE(48))
    };
    return checkedPlace(place, recordAt);
}
function checkedPlace(place, endAt) {
    if (place.offset + place.size > endAt)
        return { refused: `${NOT_A_ZIP} (its central directory lies past its end)` };
    if (place.size > MAX_CENTRAL_DIRECTORY_BYTES) {
        return { refused: `its zip directory is larger than any app's (${place.size} bytes), so it was not read` };
    }
    return { found: place };
}
/** The entry names of a central directory (read whole); stops at the first entry that is not well formed. */
function centralDirectoryNames(directory) {
    const names = [];
    let at = 0;
    while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_ENTRY) {
        const nameLength = directory.readUInt16LE(at + 28);
        const extraLength = directory.readUInt16LE(at + 30);
        const commentLength = directory.readUInt16LE(at + 32);
        const end = at + 46 + nameLength;
        if (end > directory.length)
            break;
        names.push(directory.subarray(at + 46, end).toString('utf8'));
        at = end + extraLength + commentLength;
    }
    return names;
}
/**
 * The kind of app a zip's entry names make it, or why it is none: `AndroidManifest.xml` at the root is an APK,
 * `Payload/<name>.app/…` an IPA. An Android App Bundle (`.aab`) is refused with its own word: Testsigma installs
 * APKs.
 */
function appKindOf(names) {
    const apk = names.includes('AndroidManifest.xml');
    const ipa = names.some(name => /^Payload\/[^/]+\.app\//.test(name));
    if (apk && !ipa)
        return { kind: 'APK' };
    if (ipa && !apk)
        return { kind: 'IPA' };
    if (apk && ipa)
        return { refused: 'it holds both an Android manifest and an iOS app, so it is neither an APK nor an IPA' };
    if (names.includes('BundleConfig.pb') || names.includes('base/manifest/AndroidManifest.xml')) {
        return {
            refused: 'it is an Android App Bundle (.aab), not an APK: build an APK (e.g. ./gradlew assembleRelease) for Testsigma'
        };
    }
    return {
        refused: 'it is a zip archive but no app: neither an APK (no AndroidManifest.xml at its root) nor an IPA ' +
            '(no Payload/<name>.app/ folder)'
    };
}

;// CONCATENATED MODULE: ./src/upload/app-file.ts





// Not blocking on open: a named pipe would otherwise wait for a writer (it is refused by its type right after).
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0);
/**
 * Checks `app-file` before anything is sent, on the file as opened once: it is a readable, non-empty regular file
 * (`fstat` of the open descriptor), its real path (links resolved, as the JUnit report's is) is inside the
 * workspace's and still leads to that same file, and its content is an APK or an IPA. Reads only the first bytes,
 * the end and the zip's directory, never the whole file. Returns it still open, for the upload to stream from.
 * Throws an `InputFileError` of `app-file` saying what is wrong (the file closed).
 */
async function inspectAppFile(target) {
    const named = `app-file ${JSON.stringify(target.path)}`;
    const root = await (0,promises_.realpath)(target.workspace);
    let file;
    try {
        file = await (0,promises_.open)(target.absolutePath, OPEN_FLAGS);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
            throw new workspace/* InputFileError */.TH('app-file', `${named} does not exist (looked for ${target.absolutePath}). Check the path, relative to the workspace, ` +
                'and that the build step before this one produced the file');
        }
        throw new workspace/* InputFileError */.TH('app-file', `${named} cannot be read (${code ?? String(error)})`);
    }
    try {
        const stats = await file.stat();
        if (stats.isDirectory()) {
            throw new workspace/* InputFileError */.TH('app-file', `${named} is a folder; name the .apk or .ipa file in it`);
        }
        if (!stats.isFile())
            throw new workspace/* InputFileError */.TH('app-file', `${named} is not a regular file`);
        const realPath = await openedPath(file, target.absolutePath, named);
        if (!(0,workspace/* isInside */.FK)(root, realPath)) {
            throw new workspace/* InputFileError */.TH('app-file', `${named} is really ${realPath}, outside the workspace ${root} (a symbolic link on the way); only files ` +
                'inside the workspace are uploaded');
        }
        if (stats.size === 0) {
            throw new workspace/* InputFileError */.TH('app-file', `${named} is empty (0 bytes): the build did not finish writing it`);
        }
        const kind = await readKind(file, stats.size);
        if ('refused' in kind) {
            throw new workspace/* InputFileError */.TH('app-file', `${named} cannot be uploaded as an app: ${kind.refused}`);
        }
        return { path: target.path, realPath, fileName: external_node_path_default().basename(realPath), size: stats.size, kind: kind.kind, file };
    }
    catch (error) {
        await file.close();
        if (error instanceof workspace/* InputFileError */.TH)
            throw error;
        throw new workspace/* InputFileError */.TH('app-file', `${named} cannot be read (${error.code ?? String(error)})`);
    }
}
/** Closes the file `inspectAppFile` opened; never throws (the step is over with it either way). */
async function closeAppFile(archive) {
    await archive?.file.close().catch(() => undefined);
}
/**
 * Where the open file really is: the real path of its name, provided that path still leads to the very file that
 * is open (same device and inode, as `fstat` says). Otherwise the name was moved to another file between the open
 * and this check, and which one is inside the workspace cannot be told.
 */
async function openedPath(file, absolutePath, named) {
    const realPath = await (0,promises_.realpath)(absolutePath);
    const [opened, found] = await Promise.all([file.stat({ bigint: true }), (0,promises_.stat)(realPath, { bigint: true })]);
    if (opened.dev !== found.dev || opened.ino !== found.ino) {
        throw new workspace/* InputFileError */.TH('app-file', `${named} changed while it was checked (its path now leads to another file); nothing was uploaded. Check ` +
            'that no other step writes it at the same time');
    }
    return realPath;
}
async function readKind(file, size) {
    if (!startsLikeZip(await readAt(file, 0, HEAD_BYTES))) {
        return { refused: 'it is not a zip archive (APK and IPA files are), judged by its first bytes' };
    }
    const tailLength = Math.min(size, TAIL_BYTES);
    let located = locateCentralDirectory(await readAt(file, size - tailLength, tailLength), size);
    if ('zip64RecordAt' in located) {
        located = readZip64Record(await readAt(file, located.zip64RecordAt, ZIP64_RECORD_BYTES), located.zip64RecordAt);
    }
    if ('refused' in located)
        return located;
    if (!('found' in located))
        return { refused: 'it is not a zip archive (a ZIP64 end that leads to another)' };
    const directory = await readAt(file, located.found.offset, located.found.size);
    return appKindOf(centralDirectoryNames(directory));
}
async function readAt(file, position, length) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
}


/***/ }),

/***/ 8387:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   inspectAppBuild: () => (/* binding */ inspectAppBuild),
/* harmony export */   resolveAppFile: () => (/* binding */ resolveAppFile)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3338);
/* harmony import */ var _app_file_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8699);
/* harmony import */ var _app_file_pattern_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2546);
/**
 * `app-file` on disk, before anything is sent: a pattern (`app-file-pattern.ts`) becomes the one file it matches in
 * its folder, and that file is checked as any `app-file` is (`app-file.ts`). No match, or several, is refused with
 * their names. Loaded only for an app build.
 */





// Names a message lists, at most: enough to spot the one meant, without flooding the log.
const NAMES_SHOWN = 10;
/** The app build `target` names, checked: the one file a pattern matches, or the file itself. */
async function inspectAppBuild(target) {
    return (0,_app_file_js__WEBPACK_IMPORTED_MODULE_3__/* .inspectAppFile */ .u)(await resolveAppFile(target));
}
/**
 * The file `target` names: itself when its name has no `*`, else the one file in its folder that the name matches.
 * The folder must really be inside the workspace (links resolved) before it is read, so no name from outside the
 * workspace reaches the log. Throws an `InputFileError` of `app-file` for no match or several, naming them.
 */
async function resolveAppFile(target) {
    if (!(0,_app_file_pattern_js__WEBPACK_IMPORTED_MODULE_4__/* .isPattern */ .Pt)(target.path))
        return target;
    const named = `app-file ${JSON.stringify(target.path)}`;
    const pattern = node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(target.absolutePath);
    const folder = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(target.absolutePath);
    const written = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(target.path);
    const shown = JSON.stringify(written === '.' ? '(the workspace)' : written);
    let realFolder;
    try {
        realFolder = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(folder);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
            throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named} matches no file: its folder ${shown} does not exist (looked for ${folder}). Check the path, ` +
                'relative to the workspace, and that the build step before this one produced the file');
        }
        throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named}: its folder cannot be read (${code ?? String(error)})`);
    }
    const root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(target.workspace);
    if (!(0,_workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .isInside */ .FK)(root, realFolder)) {
        throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named}: its folder is really ${realFolder}, outside the workspace ${root} (a symbolic link on the way); ` +
            'only files inside the workspace are uploaded');
    }
    let entries;
    try {
        const listed = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(realFolder, { withFileTypes: true });
        entries = listed.map(entry => ({ name: entry.name, folder: entry.isDirectory() }));
    }
    catch (error) {
        const code = error.code;
        throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named}: its folder cannot be read (${code ?? String(error)})`);
    }
    const matches = entries
        .filter(entry => !entry.folder && (0,_app_file_pattern_js__WEBPACK_IMPORTED_MODULE_4__/* .matchesPattern */ .MT)(pattern, entry.name))
        .map(entry => entry.name)
        .sort();
    if (matches.length === 1) {
        return { ...target, path: node_path__WEBPACK_IMPORTED_MODULE_1___default().join(written, matches[0]), absolutePath: node_path__WEBPACK_IMPORTED_MODULE_1___default().join(folder, matches[0]) };
    }
    if (matches.length === 0) {
        const held = entries.map(entry => entry.name).sort();
        const holds = held.length === 0 ? 'it is empty' : `it holds ${listOf(held)}`;
        throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named} matches no file in ${shown} (${holds}). A * stands for any characters in the file name; check the ` +
            'name the build step gives the file');
    }
    throw new _workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .InputFileError */ .TH('app-file', `${named} matches ${matches.length} files in ${shown} (${listOf(matches)}), and one build is uploaded: name ` +
        'the file, or make the pattern narrower');
}
/** `"a.apk", "b.apk" and 3 more`. */
function listOf(names) {
    const shown = names.slice(0, NAMES_SHOWN).map(name => JSON.stringify(name));
    const more = names.length - shown.length;
    return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}


/***/ })

};
;