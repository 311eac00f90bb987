using System.Numerics;
using System.Security.Cryptography;

namespace AwgProxy.Quic.Tls.KeyExchange;

/// <summary>
/// secp256r1 (RFC 8446 section 4.2.8.2): key_exchange is the uncompressed point
/// <code>
/// struct {
///     uint8 legacy_form = 4;
///     opaque X[coordinate_length];
///     opaque Y[coordinate_length];
/// } UncompressedPointRepresentation;
/// </code>
/// "For the curves secp256r1, secp384r1, and secp521r1, peers MUST validate each other's public value Q
/// by ensuring that the point is a valid point on the elliptic curve": done here explicitly (uncompressed
/// form, coordinates below p, curve equation) before the platform sees the point. The shared secret is
/// the x-coordinate of the ECDH result (section 7.4.2).
/// </summary>
internal sealed class Secp256r1KeyExchange : KeyExchange
{
    private const int CoordinateLength = 32;
    private const int PointLength = 1 + 2 * CoordinateLength;

    /// <summary>p = 2^256 - 2^224 + 2^192 + 2^96 - 1.</summary>
    private static readonly BigInteger P = BigInteger.Parse("0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Curve coefficient b (a = -3).</summary>
    private static readonly BigInteger B = BigInteger.Parse("05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Group order n.</summary>
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private readonly ECDiffieHellman _key;

    public Secp256r1KeyExchange(RandomFill random)
    {
        byte[] d = new byte[CoordinateLength];
        while (true)
        {
            random(d);
            var scalar = new BigInteger(d, isUnsigned: true, isBigEndian: true);
            if (!scalar.IsZero && scalar < N) break;
        }

        _key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        CryptographicOperations.ZeroMemory(d);

        ECParameters publicParameters = _key.ExportParameters(includePrivateParameters: false);
        PublicKey = new byte[PointLength];
        PublicKey[0] = 4;
        publicParameters.Q.X.AsSpan().CopyTo(PublicKey.AsSpan(1 + CoordinateLength - publicParameters.Q.X!.Length));
        publicParameters.Q.Y.AsSpan().CopyTo(PublicKey.AsSpan(1 + 2 * CoordinateLength - publicParameters.Q.Y!.Length));
    }

    public override NamedGroup Group => NamedGroup.Secp256r1;

    public override byte[] PublicKey { get; }

    public override bool TryDeriveSharedSecret(ReadOnlySpan<byte> peerKeyExchange, out byte[] sharedSecret)
    {
        sharedSecret = [];
        if (!IsValidPoint(peerKeyExchange)) return false;

        try
        {
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint
                {
                    X = peerKeyExchange.Slice(1, CoordinateLength).ToArray(),
                    Y = peerKeyExchange.Slice(1 + CoordinateLength, CoordinateLength).ToArray(),
                },
            };
            using var peer = ECDiffieHellman.Create(parameters);
            sharedSecret = _key.DeriveRawSecretAgreement(peer.PublicKey);
            return sharedSecret.Length == CoordinateLength;
        }
        catch (CryptographicException)
        {
            sharedSecret = [];
            return false;
        }
    }

    /// <summary>Uncompressed form, both coordinates below p, and y^2 = x^3 - 3x + b (mod p).</summary>
    internal static bool IsValidPoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != PointLength || point[0] != 4) return false;
        var x = new BigInteger(point.Slice(1, CoordinateLength), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(point.Slice(1 + CoordinateLength, CoordinateLength), isUnsigned: true, isBigEndian: true);
        if (x >= P || y >= P) return false;
        BigInteger left = BigInteger.ModPow(y, 2, P);
        BigInteger right = ((BigInteger.ModPow(x, 3, P) - 3 * x + B) % P + P) % P;
        return left == right;
    }

    public override void Dispose() => _key.Dispose();
}
