using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>ecdsa_secp256r1_sha256: ECDSA over SHA-256, DER-encoded (r, s) signature (RFC 8446 section 4.2.3).</summary>
internal sealed class EcdsaP256SigningKey(ECDsa key) : TlsSigningKey
{
    private static readonly SignatureScheme[] SchemeList = [SignatureScheme.EcdsaSecp256r1Sha256];

    public override TlsPublicKeyType KeyType => TlsPublicKeyType.EcdsaP256;

    internal override IReadOnlyList<SignatureScheme> Schemes => SchemeList;

    internal override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> content)
        => key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    internal override bool MatchesSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        using var other = ECDsa.Create();
        other.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        ECParameters mine = key.ExportParameters(false);
        ECParameters theirs = other.ExportParameters(false);
        return mine.Q.X.AsSpan().SequenceEqual(theirs.Q.X) && mine.Q.Y.AsSpan().SequenceEqual(theirs.Q.Y);
    }
}
