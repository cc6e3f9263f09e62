/** The part of `email-reply-parser`'s API the adapter uses (the package ships no types). */
declare module 'email-reply-parser' {
  // biome-ignore lint/style/noDefaultExport: describes the package's own CommonJS export
  export default class EmailReplyParser {
    parseReply(text: string): string;
    parseReplied(text: string): string;
  }
}
