import { describe, expect, it } from "vitest";
import { sessionOf } from "./claims.js";

describe("sessionOf", () => {
  it("reads the name and email of the ID token and the groups of the access token", () => {
    expect(
      sessionOf(
        { email: "admin@localstays.dev", name: "Demo Admin", "cognito:groups": ["hosts"] },
        { token_use: "access", "cognito:groups": ["admins", "hosts"] },
      ),
    ).toEqual({
      email: "admin@localstays.dev",
      name: "Demo Admin",
      groups: ["admins", "hosts"],
      isAdmin: true,
    });
  });

  it("takes admin rights from the access token only, as the API does", () => {
    const session = sessionOf({ email: "a@b.c", "cognito:groups": ["admins"] }, {});
    expect(session).toMatchObject({ groups: [], isAdmin: false });
  });

  it("names a user without a name by email, and one without groups is no admin", () => {
    expect(sessionOf({ email: "ana@example.com" }, {})).toEqual({
      email: "ana@example.com",
      name: "ana@example.com",
      groups: [],
      isAdmin: false,
    });
  });

  it("accepts groups flattened into one string", () => {
    expect(sessionOf({ email: "a@b.c" }, { "cognito:groups": "[admins hosts]" }).isAdmin).toBe(
      true,
    );
  });

  it("does not take a group named x,admins for the admins group", () => {
    expect(sessionOf({}, { "cognito:groups": ["x,admins"] }).isAdmin).toBe(false);
    expect(sessionOf({}, { "cognito:groups": "[x,admins]" }).isAdmin).toBe(false);
  });
});
