namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 4.2.3, Signature Algorithms: the schemes this stack signs and verifies
/// CertificateVerify messages with.
/// <code>
/// enum {
///     /* ECDSA algorithms */
///     ecdsa_secp256r1_sha256(0x0403),
///     /* RSASSA-PSS algorithms with public key OID rsaEncryption */
///     rsa_pss_rsae_sha256(0x0804), rsa_pss_rsae_sha384(0x0805), rsa_pss_rsae_sha512(0x0806),
///     /* EdDSA algorithms */
///     ed25519(0x0807),
///     /* RSASSA-PKCS1-v1_5 algorithms */
///     rsa_pkcs1_sha256(0x0401), rsa_pkcs1_sha384(0x0501), rsa_pkcs1_sha512(0x0601),
///     ...
/// } SignatureScheme;
/// </code>
/// The RSASSA-PKCS1-v1_5 values "refer solely to signatures which appear in certificates": they are
/// advertised so that peers may send certificate chains signed that way, and are never accepted in a
/// CertificateVerify. Other values received from a peer are carried as unnamed values and never selected.
/// </summary>
public enum SignatureScheme : ushort
{
    EcdsaSecp256r1Sha256 = 0x0403,
    RsaPssRsaeSha256 = 0x0804,
    RsaPssRsaeSha384 = 0x0805,
    RsaPssRsaeSha512 = 0x0806,
    Ed25519 = 0x0807,
    RsaPkcs1Sha256 = 0x0401,
    RsaPkcs1Sha384 = 0x0501,
    RsaPkcs1Sha512 = 0x0601,
}
