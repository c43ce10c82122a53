import { describe, expect, it } from "vitest";
import { describeAuthError, PASSWORD_HINT } from "./errors.js";

const named = (name: string, message = "") => Object.assign(new Error(message), { name });

describe("describeAuthError", () => {
  it("does not tell whether the email or the password was wrong", () => {
    expect(
      describeAuthError(named("NotAuthorizedException", "Incorrect username or password.")),
    ).toBe("The email or password is not right.");
    expect(describeAuthError(named("UserNotFoundException"))).toBe(
      "The email or password is not right.",
    );
  });

  it("explains sign-up and confirmation problems", () => {
    expect(describeAuthError(named("UsernameExistsException"))).toMatch(/already exists/);
    expect(describeAuthError(named("InvalidPasswordException"))).toBe(
      `The password is too weak. ${PASSWORD_HINT}`,
    );
    expect(describeAuthError(named("CodeMismatchException"))).toMatch(/code is not right/);
    expect(
      describeAuthError(
        named("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"),
      ),
    ).toBe("This account is confirmed already. Sign in.");
  });

  it("says when the sign-in service could not be reached", () => {
    expect(describeAuthError(new TypeError("Failed to fetch"))).toMatch(/^Could not reach/);
    expect(describeAuthError(named("NetworkError", "A network error has occurred."))).toMatch(
      /^Could not reach/,
    );
  });

  it("asks for missing input and passes unknown messages through", () => {
    expect(describeAuthError(named("EmptySignInPassword"))).toBe("Please fill in every field.");
    expect(describeAuthError(named("SomethingNew", "Details."))).toBe("Details.");
  });
});

describe("PASSWORD_HINT", () => {
  it("states the pool's password policy", () => {
    expect(PASSWORD_HINT).toBe(
      "At least 10 characters, with a lower-case letter, an upper-case letter, and a digit.",
    );
  });
});
