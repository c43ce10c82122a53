import { describe, expect, it } from "vitest";
import { groupsOfClaim, isAdmin } from "../src/actor.js";

describe("groupsOfClaim", () => {
  it("reads the groups API Gateway's JWT authorizer prints as [a b]", () => {
    expect(groupsOfClaim("[admins hosts]")).toEqual(["admins", "hosts"]);
    expect(groupsOfClaim("[hosts]")).toEqual(["hosts"]);
    expect(groupsOfClaim("[]")).toEqual([]);
  });

  it("keeps a comma inside a group name: x,admins is not the admins group", () => {
    expect(groupsOfClaim("[x,admins]")).toEqual(["x,admins"]);
    expect(groupsOfClaim("[hosts x,admins]")).toEqual(["hosts", "x,admins"]);
    expect(isAdmin({ sub: "s", groups: groupsOfClaim("[x,admins]") })).toBe(false);
    expect(isAdmin({ sub: "s", groups: groupsOfClaim("[,admins]") })).toBe(false);
  });

  it("strips only the one pair of brackets API Gateway adds", () => {
    expect(groupsOfClaim("[[admins] x]]")).toEqual(["[admins]", "x]"]);
    expect(groupsOfClaim("[admins")).toEqual(["[admins"]);
  });

  it("reads a real array, a plain string as one group, and nothing else", () => {
    expect(groupsOfClaim(["admins", "hosts"])).toEqual(["admins", "hosts"]);
    expect(groupsOfClaim("admins")).toEqual(["admins"]);
    expect(groupsOfClaim("hosts,admins")).toEqual(["hosts,admins"]);
    expect(groupsOfClaim(undefined)).toEqual([]);
    expect(groupsOfClaim("")).toEqual([]);
    expect(groupsOfClaim(42)).toEqual([]);
  });
});
