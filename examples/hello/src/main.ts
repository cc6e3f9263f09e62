import { formatThread, runHello } from './app';

const { thread, userId } = await runHello();
console.log(`Threadline hello: one user (${userId}), one thread, ${thread.length} entries\n`);
console.log(formatThread(thread));
