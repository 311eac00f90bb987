namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>The kinds of certificate public key this stack can authenticate with.</summary>
public enum TlsPublicKeyType
{
    /// <summary>id-ecPublicKey on namedCurve secp256r1 (signs with ecdsa_secp256r1_sha256).</summary>
    EcdsaP256,

    /// <summary>rsaEncryption, at least 2048 bits (signs with rsa_pss_rsae_sha256/384/512).</summary>
    Rsa,

    /// <summary>id-Ed25519, OID 1.3.101.112 (signs with ed25519).</summary>
    Ed25519,
}
