// Tests inspect JSON bodies ad hoc; with `Promise<unknown>` every assertion would need a cast.
declare global {
  interface Response {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    json(): Promise<any>;
  }
}

export {};
