/**
 * A self-signed certificate (and its key) for a TLS server on loopback that no runner trusts, so a test can show
 * what a certificate failure does. Made for these tests only (CN testsigma-simulator.invalid, valid 2000–2100);
 * it protects nothing.
 */
export const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3yFHqKaPVhJlhs3S
Z1onDfeJMwWqz8X8JaC3vEjmLSyhRANCAAQzNDTDkcnaGBOG7uYtkQhD/aWQkjp2
TfVeOs5AGVF+hSruDQmEP7rE9gnr8xpE1IfH0s8KdS3alVwxUweHdGVS
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBNDCB3AIBATAKBggqhkjOPQQDAjAmMSQwIgYDVQQDDBt0ZXN0c2lnbWEtc2lt
dWxhdG9yLmludmFsaWQwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBa
MCYxJDAiBgNVBAMMG3Rlc3RzaWdtYS1zaW11bGF0b3IuaW52YWxpZDBZMBMGByqG
SM49AgEGCCqGSM49AwEHA0IABDM0NMORydoYE4bu5i2RCEP9pZCSOnZN9V46zkAZ
UX6FKu4NCYQ/usT2CevzGkTUh8fSzwp1LdqVXDFTB4d0ZVIwCgYIKoZIzj0EAwID
RwAwRAIgYrkpNTgStlvQSejRFqythMGHENiFfBqu0J0TUZtBb9sCIDXZgmH0A3xz
MYLGGh1skAAQkMWUCp6mFjXo2fY9Ryz6
-----END CERTIFICATE-----
`
}
