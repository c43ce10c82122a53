/**
 * The Cognito triggers, by SST's trigger name: the one place a trigger's handler is named,
 * like `routes.ts` for the API. `stacks/Auth.ts` attaches each to the user pool; the local
 * stack has cognito-local invoke the same handlers through its Lambda endpoint.
 */
export const cognitoTriggers = {
  postConfirmation: "packages/functions/src/auth/post-confirmation.handler",
  customMessage: "packages/functions/src/auth/custom-message.handler",
} as const satisfies Record<string, string>;

export type CognitoTriggerName = keyof typeof cognitoTriggers;
