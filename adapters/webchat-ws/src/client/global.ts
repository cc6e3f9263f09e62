/**
 * The `<script>` build (`@threadline/webchat-ws/client/global`): defines `<threadline-chat>` and
 * exposes the client as `window.ThreadlineChat`.
 */
import { defineThreadlineChat } from './element';

export * from './index';

defineThreadlineChat();
