/** The sender of the local stack's mail (the SES emulator takes any address). */
export const LOCAL_MAIL_FROM = "Localstays <no-reply@localstays.local>";
