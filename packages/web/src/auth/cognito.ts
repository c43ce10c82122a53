import { Amplify } from "aws-amplify";
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from "aws-amplify/auth";
import type { AppConfig, AuthFlow } from "../config.js";
import { type Session, sessionOf } from "./claims.js";
import { signUpAttributes } from "./sign-up.js";

/** Amplify talks to the user pool (cognito-local's endpoint on the local stack). */
export function configureAuth(config: AppConfig): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
      },
    },
  });
}

/** The current ID token (refreshed by Amplify when it expires), or undefined when signed out. */
export async function idToken(): Promise<string | undefined> {
  try {
    return (await fetchAuthSession()).tokens?.idToken?.toString();
  } catch {
    // A refresh token that is no longer accepted: the user has to sign in again.
    return undefined;
  }
}

export async function loadSession(): Promise<Session | null> {
  try {
    const token = (await fetchAuthSession()).tokens?.idToken;
    return token ? sessionOf(token.payload) : null;
  } catch {
    return null;
  }
}

export async function signUpUser(input: { name: string; email: string; password: string }) {
  await signUp({
    username: input.email,
    password: input.password,
    options: { userAttributes: signUpAttributes(input) },
  });
}

export async function confirmUser(email: string, code: string) {
  await confirmSignUp({ username: email, confirmationCode: code.trim() });
}

export type SignInOutcome = "signed-in" | "confirm-sign-up";

export async function signInUser(
  email: string,
  password: string,
  authFlow: AuthFlow,
): Promise<SignInOutcome> {
  const { isSignedIn, nextStep } = await signIn({
    username: email,
    password,
    options: { authFlowType: authFlow },
  });
  if (isSignedIn) return "signed-in";
  if (nextStep.signInStep === "CONFIRM_SIGN_UP") return "confirm-sign-up";
  throw new Error(
    `Signing in needs a step this dashboard does not offer (${nextStep.signInStep}).`,
  );
}

export const signOutUser = () => signOut();
