using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>ed25519: pure EdDSA over the whole content (RFC 8446 section 4.2.3, RFC 8032).</summary>
internal sealed class Ed25519SigningKey(Ed25519KeyPair key) : TlsSigningKey
{
    private static readonly SignatureScheme[] SchemeList = [SignatureScheme.Ed25519];

    public override TlsPublicKeyType KeyType => TlsPublicKeyType.Ed25519;

    internal override IReadOnlyList<SignatureScheme> Schemes => SchemeList;

    internal override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> content) => key.Sign(content);

    internal override bool MatchesSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
        => X509Der.TryParseSubjectPublicKeyInfo(subjectPublicKeyInfo.ToArray(), out TlsPublicKeyType type, out byte[] raw)
            && type == TlsPublicKeyType.Ed25519
            && raw.AsSpan().SequenceEqual(key.PublicKey);
}
