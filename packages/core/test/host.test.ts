import { describe, expect, it } from "vitest";
import { type Actor, Forbidden, Host, NotFound, ValidationError } from "../src/index.js";

const admin: Actor = { sub: "admin-sub", groups: ["admins"] };

async function newHost(sub: string = crypto.randomUUID()) {
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor: Actor = { sub, groups: ["hosts"], hostId: host.hostId };
  return { host, actor };
}

describe("Host", () => {
  it("registers a host once per Cognito subject, however often the trigger runs", async () => {
    const sub = crypto.randomUUID();
    const first = await Host.register({
      cognitoSub: sub,
      email: "ana@example.com",
      displayName: "Ana",
    });
    const again = await Host.register({ cognitoSub: sub, email: "ana@example.com" });
    expect(again.hostId).toBe(first.hostId);
    expect(first.hostId).toMatch(/^host_[0-9A-Z]{26}$/);
    expect(first.displayName).toBe("Ana");
  });

  it("registers one host even when the trigger runs twice at the same time", async () => {
    const sub = crypto.randomUUID();
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => Host.register({ cognitoSub: sub, email: "r@example.com" })),
    );
    expect(new Set(runs.map((h) => h.hostId)).size).toBe(1);
    expect((await Host.bySub(sub))?.hostId).toBe(runs[0]?.hostId);
  });

  it("defaults the display name to the email's local part", async () => {
    const { host } = await newHost("bob-sub");
    expect(host.displayName).toBe("bob-sub");
  });

  it("never exposes the Cognito subject", async () => {
    const { host } = await newHost();
    expect(Object.keys(host).sort()).toEqual([
      "createdAt",
      "displayName",
      "email",
      "hostId",
      "reviewEmails",
      "updatedAt",
    ]);
  });

  it("lets a host read and update its own profile", async () => {
    const { host, actor } = await newHost();
    expect(await Host.me(actor)).toEqual(host);
    const updated = await Host.update(actor, host.hostId, { displayName: "  New name " });
    expect(updated.displayName).toBe("New name");
    expect(updated.updatedAt >= host.updatedAt).toBe(true);
    expect(await Host.get(actor, host.hostId)).toEqual(updated);
  });

  it("lets a host turn review e-mails off and on, and refuses an empty change", async () => {
    const { host, actor } = await newHost();
    expect(host.reviewEmails).toBe(true);
    const off = await Host.update(actor, host.hostId, { reviewEmails: false });
    expect(off).toMatchObject({ reviewEmails: false, displayName: host.displayName });
    expect((await Host.me(actor)).reviewEmails).toBe(false);
    expect((await Host.update(actor, host.hostId, { reviewEmails: true })).reviewEmails).toBe(true);
    await expect(Host.update(actor, host.hostId, {})).rejects.toBeInstanceOf(ValidationError);
    await expect(Host.update(actor, host.hostId, { reviewEmails: "no" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("refuses another host's profile without revealing whether it exists", async () => {
    const { actor } = await newHost();
    const { host: other } = await newHost();
    await expect(Host.get(actor, other.hostId)).rejects.toBeInstanceOf(Forbidden);
    await expect(Host.get(actor, "host_01ARZ3NDEKTSV4RRFFQ69G5FAV")).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(Host.update(actor, other.hostId, { displayName: "x" })).rejects.toBeInstanceOf(
      Forbidden,
    );
  });

  it("lets an admin read and update any host, and 404s an unknown one", async () => {
    const { host } = await newHost();
    expect((await Host.get(admin, host.hostId)).hostId).toBe(host.hostId);
    await expect(Host.get(admin, "host_01ARZ3NDEKTSV4RRFFQ69G5FAV")).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(
      Host.update(admin, "host_01ARZ3NDEKTSV4RRFFQ69G5FAV", { displayName: "x" }),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it("has no profile for a user the trigger has not registered", async () => {
    await expect(Host.me({ sub: "nobody", groups: [] })).rejects.toBeInstanceOf(NotFound);
  });

  it.each([
    [{}, "(root)"],
    [{ displayName: "" }, "displayName"],
    [{ displayName: "x".repeat(81) }, "displayName"],
    [{ displayName: "a\u0000b" }, "displayName"],
    [{ displayName: "ok", hostId: "host_x" }, "(root)"],
    ["not an object", "(root)"],
  ])("rejects the update %j with field details", async (input, field) => {
    const { host, actor } = await newHost();
    const error = await Host.update(actor, host.hostId, input).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details.fields)).toContain(field);
  });

  it("resolves and caches a caller's host id", async () => {
    const { host, actor } = await newHost();
    expect(await Host.hostIdOf(actor.sub)).toBe(host.hostId);
    expect(await Host.hostIdOf("unknown-sub")).toBeUndefined();
  });
});
