/** An error about the user's input (a bad file, flag or value): printed as one line, exit code 2. */
export const inputError = (message: string): Error => Object.assign(new Error(message), { exitCode: 2 });
