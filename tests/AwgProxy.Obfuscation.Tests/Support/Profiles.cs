namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>The AWG settings the envelope tests run with.</summary>
public static class Profiles
{
    /// <summary>The in-memory network's and UdpDatagramPath's default wire limit.</summary>
    public const int WireMtu = 1452;

    /// <summary>
    /// A realistic profile: four junk datagrams of 40-70 bytes, different S_k per class, four disjoint H ranges,
    /// I1 imitating the start of a QUIC v1 Initial (as AWG signature packets often do) and a plain I2.
    /// </summary>
    public static AwgOptions RealisticOptions() => new()
    {
        Jc = 4,
        Jmin = 40,
        Jmax = 70,
        S1 = 37,
        S2 = 18,
        S3 = 20,
        S4 = 23,
        H1 = "1020325451-1020325500",
        H2 = "2018045100-2018045200",
        H3 = "3141592653-3141592654",
        H4 = "1357924680-1357999999",
        I1 = "<b 0xc200000001><r 16><t><c>",
        I2 = "<b 0x5a5a><rc 8><rd 4><c>",
    };

    public static AwgProfile Realistic() => AwgProfile.Create(RealisticOptions(), WireMtu);

    /// <summary>No obfuscation parameter set: H1..H4 = 1..4, every S = 0, no junk, no I-packets.</summary>
    public static AwgProfile Defaults() => AwgProfile.Create(new AwgOptions(), WireMtu);
}
