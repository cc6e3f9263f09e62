/** The part of `email-reply-parser`'s API the adapter uses (the package ships no types). */
declare module 'email-reply-parser' {
  export default class EmailReplyParser {
    parseReply(text: string): string;
    parseReplied(text: string): string;
  }
}
