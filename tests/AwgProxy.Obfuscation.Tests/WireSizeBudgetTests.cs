namespace AwgProxy.Obfuscation.Tests;

public class WireSizeBudgetTests
{
    [Fact]
    public void DefaultOptions_LoseOnlyTheHeader()
    {
        var budget = WireSizeBudget.For(new AwgOptions());

        Assert.Equal(1472, budget.WireMtu);
        Assert.Equal(1468, budget.MaxQuicDatagramSize);
        Assert.All(Enum.GetValues<AwgMessageClass>(), k => Assert.Equal((4, 1468), (budget.Overhead(k), budget.QuicCapacity(k))));
        Assert.Empty(budget.Validate());
    }

    [Fact]
    public void EachClass_PaysItsOwnPaddingAndTheLargestSetsTheQuicLimit()
    {
        var budget = new WireSizeBudget(WireSizeBudget.DefaultIPv6WireMtu, s1: 15, s2: 100, s3: 7, s4: 32);

        Assert.Equal(19, budget.Overhead(AwgMessageClass.Initiation));
        Assert.Equal(104, budget.Overhead(AwgMessageClass.Response));
        Assert.Equal(11, budget.Overhead(AwgMessageClass.Cookie));
        Assert.Equal(36, budget.Overhead(AwgMessageClass.Transport));
        Assert.Equal(1433, budget.QuicCapacity(AwgMessageClass.Initiation));
        Assert.Equal(1348, budget.QuicCapacity(AwgMessageClass.Response));
        Assert.Equal(1452 - 104, budget.MaxQuicDatagramSize);
        Assert.Equal(100, budget.Padding(AwgMessageClass.Response));
    }

    [Theory]
    [InlineData(AwgMessageClass.Initiation, "a client Initial must be at least 1200 bytes (RFC 9000 §14.1)")]
    [InlineData(AwgMessageClass.Response, "server Initial datagrams must be padded to 1200 bytes (RFC 9000 §14.1)")]
    [InlineData(AwgMessageClass.Cookie, "QUIC needs a maximum datagram size of at least 1200 bytes on the path (RFC 9000 §14)")]
    [InlineData(AwgMessageClass.Transport, "QUIC needs a maximum datagram size of at least 1200 bytes on the path (RFC 9000 §14)")]
    public void ClassBelow1200BytesOfQuic_IsReportedWithItsRule(AwgMessageClass k, string rule)
    {
        int[] s = [0, 0, 0, 0];
        s[(int)k - 1] = 249;
        var budget = new WireSizeBudget(1452, s[0], s[1], s[2], s[3]);

        var failure = Assert.Single(budget.Validate());

        Assert.StartsWith($"S{(int)k} = 249: a class {(int)k} (", failure, StringComparison.Ordinal);
        Assert.Contains("can carry only 1199 bytes of QUIC (1452-byte wire MTU - 249 padding - 4 header)", failure, StringComparison.Ordinal);
        Assert.Contains(rule, failure, StringComparison.Ordinal);
        Assert.EndsWith($"S{(int)k} can be at most 248 at this MTU", failure, StringComparison.Ordinal);
        Assert.Equal(1199, budget.MaxQuicDatagramSize);
    }

    [Fact]
    public void ExactlyTwelveHundredBytes_IsEnough()
    {
        Assert.Empty(new WireSizeBudget(1204, 0, 0, 0, 0).Validate());
        Assert.Equal(4, new WireSizeBudget(1203, 0, 0, 0, 0).Validate().Count);
    }
}
