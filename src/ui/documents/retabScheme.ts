/** The scheme of the read-only documents the extension serves (artifacts, jobs, errors, fields, values). */
export const RETAB_SCHEME = 'retab';
