/** Why a handover could not be stored, in words an admin can act on. */

/** The site does not let this identity write handover ConfigMaps (or create their namespace). */
export class HandoverForbidden extends Error {
  constructor(
    readonly site: string,
    message: string,
  ) {
    super(message);
    this.name = 'HandoverForbidden';
  }
}

/** The report does not fit in a ConfigMap even with its warning events cut. */
export class HandoverTooLarge extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the handover report takes ${bytes} bytes even without warning events; a ConfigMap holds at most ${limit}. Close or shorten notes, or export it as a file instead.`);
    this.name = 'HandoverTooLarge';
  }
}
