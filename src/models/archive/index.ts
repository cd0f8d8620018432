/** Archive scanners of the model stage (zip, tar, gzip) and the rules they report. */
export { ARCHIVE_RULES } from './archive-rules.js';
export { scanGzip } from './gzip-scan.js';
export { scanTar } from './tar-scan.js';
export { scanZip } from './zip-scan.js';
export { findEndRecord } from './zip-end-record.js';
