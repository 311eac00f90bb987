using System.Security.Cryptography;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tls.Signatures;

/// <summary>
/// rsa_pss_rsae_sha256/384/512: RSASSA-PSS with MGF1 on the same hash and a salt as long as the hash
/// (RFC 8446 section 4.2.3), with a key whose certificate says rsaEncryption.
/// </summary>
internal sealed class RsaPssSigningKey(RSA key) : TlsSigningKey
{
    private static readonly SignatureScheme[] SchemeList =
        [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512];

    public override TlsPublicKeyType KeyType => TlsPublicKeyType.Rsa;

    internal override IReadOnlyList<SignatureScheme> Schemes => SchemeList;

    internal override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> content)
        => key.SignData(content.ToArray(), SignatureSchemes.Hash(scheme), RSASignaturePadding.Pss);

    internal override bool MatchesSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        using var other = RSA.Create();
        other.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        RSAParameters mine = key.ExportParameters(false);
        RSAParameters theirs = other.ExportParameters(false);
        return mine.Modulus.AsSpan().SequenceEqual(theirs.Modulus) && mine.Exponent.AsSpan().SequenceEqual(theirs.Exponent);
    }
}
