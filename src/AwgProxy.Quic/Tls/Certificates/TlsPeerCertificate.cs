using System.Security.Cryptography;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// The certificate chain a peer authenticated with, as sent (leaf first), with the leaf's public key
/// already parsed. Only leaves with a supported key (<see cref="TlsPublicKeyType"/>) get this far.
/// </summary>
public sealed class TlsPeerCertificate
{
    private TlsPeerCertificate(IReadOnlyList<byte[]> chain, byte[] subjectPublicKeyInfo, TlsPublicKeyType keyType, byte[] rawPublicKey)
    {
        Chain = chain;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyType = keyType;
        RawPublicKey = rawPublicKey;
    }

    /// <summary>The leaf certificate (DER).</summary>
    public byte[] Certificate => Chain[0];

    /// <summary>Every certificate the peer sent (DER), leaf first.</summary>
    public IReadOnlyList<byte[]> Chain { get; }

    /// <summary>The leaf's SubjectPublicKeyInfo (DER).</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    public TlsPublicKeyType KeyType { get; }

    /// <summary>The subjectPublicKey bits: the 32-byte key for Ed25519, the uncompressed point for P-256, the RSAPublicKey for RSA.</summary>
    public byte[] RawPublicKey { get; }

    /// <summary>The raw 32-byte Ed25519 public key, or null for other key types.</summary>
    public byte[]? Ed25519PublicKey => KeyType == TlsPublicKeyType.Ed25519 ? RawPublicKey : null;

    /// <summary>
    /// Whether <paramref name="pin"/> names this leaf's key: equal to its DER SubjectPublicKeyInfo, or, for
    /// an Ed25519 leaf, to the raw 32-byte public key.
    /// </summary>
    public bool MatchesPin(ReadOnlySpan<byte> pin)
    {
        if (pin.SequenceEqual(SubjectPublicKeyInfo)) return true;
        return KeyType == TlsPublicKeyType.Ed25519 && pin.Length == RawPublicKey.Length && CryptographicOperations.FixedTimeEquals(pin, RawPublicKey);
    }

    /// <summary>Parses the leaf of <paramref name="chain"/>; false when it is not DER X.509 or its key is unsupported.</summary>
    internal static bool TryCreate(IReadOnlyList<byte[]> chain, out TlsPeerCertificate? certificate, out AlertDescription alert, out string reason)
    {
        certificate = null;
        if (chain.Count == 0)
        {
            alert = AlertDescription.DecodeError;
            reason = "empty certificate chain";
            return false;
        }

        if (!X509Der.TryReadSubjectPublicKeyInfo(chain[0], out byte[] spki))
        {
            alert = AlertDescription.BadCertificate;
            reason = "leaf certificate is not a DER X.509 certificate";
            return false;
        }

        if (!X509Der.TryParseSubjectPublicKeyInfo(spki, out TlsPublicKeyType type, out byte[] rawKey))
        {
            alert = AlertDescription.UnsupportedCertificate;
            reason = "leaf certificate key is not ECDSA P-256, RSA >= 2048 bits or Ed25519";
            return false;
        }

        certificate = new TlsPeerCertificate(chain, spki, type, rawKey);
        alert = default;
        reason = "";
        return true;
    }
}
