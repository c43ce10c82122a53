import { describe, expect, it } from "vitest";
import { cognitoAnswerFor, INCORRECT_CREDENTIALS, operationOf } from "../src/cognito-errors.js";

const invalidPassword = { __type: "InvalidPasswordException", message: "Invalid password" };
const notAuthorized = { __type: "NotAuthorizedException", message: "User not authorized" };

describe("Cognito's answer in place of cognito-local's", () => {
  it("reads the operation from the x-amz-target header", () => {
    expect(operationOf("AWSCognitoIdentityProviderService.InitiateAuth")).toBe("InitiateAuth");
    expect(operationOf(undefined)).toBeUndefined();
  });

  it("turns a wrong password at sign-in into Cognito's NotAuthorizedException", () => {
    for (const operation of ["InitiateAuth", "AdminInitiateAuth", "ChangePassword"]) {
      expect(cognitoAnswerFor(operation, {}, invalidPassword)).toEqual(INCORRECT_CREDENTIALS);
    }
  });

  it("keeps InvalidPasswordException where it means a weak password (sign-up, reset)", () => {
    for (const operation of ["SignUp", "ConfirmForgotPassword", "AdminSetUserPassword"]) {
      expect(cognitoAnswerFor(operation, {}, invalidPassword)).toBeUndefined();
    }
  });

  it("words an unknown user as a wrong password in the password flows only", () => {
    expect(
      cognitoAnswerFor("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH" }, notAuthorized),
    ).toEqual(INCORRECT_CREDENTIALS);
    expect(
      cognitoAnswerFor(
        "AdminInitiateAuth",
        { AuthFlow: "ADMIN_USER_PASSWORD_AUTH" },
        notAuthorized,
      ),
    ).toEqual(INCORRECT_CREDENTIALS);
    expect(
      cognitoAnswerFor("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH" }, notAuthorized),
    ).toBeUndefined();
    expect(cognitoAnswerFor("ConfirmSignUp", {}, notAuthorized)).toBeUndefined();
  });

  it("leaves an answer that is already Cognito's alone", () => {
    expect(
      cognitoAnswerFor("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH" }, INCORRECT_CREDENTIALS),
    ).toBeUndefined();
  });
});
