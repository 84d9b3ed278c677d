/** An age public key (`age1…`), what `age-keygen` prints as "Public key" (bech32). */
export const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58,}$/;
