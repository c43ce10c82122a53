/** The application's name: the prefix of the table, stacks, functions and tags. */
export const APP_NAME = "localstays";
