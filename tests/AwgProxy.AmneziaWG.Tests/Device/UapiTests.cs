using AwgProxy.AmneziaWG.Device;

namespace AwgProxy.AmneziaWG.Tests.Device;

/// <summary>UAPI behaviour beyond the vectors: the scanner limits and the port's deviations.</summary>
public class UapiTests
{
    [Fact]
    public void LineOf64KiB_FailsAsUnreadableInput_AfterEarlierLinesApplied()
    {
        var device = new DeviceState();

        var error = Uapi.IpcSetOperation(device, "jc=3\ni1=" + new string('x', 65536 - 3) + "\njc=9");

        Assert.NotNull(error);
        Assert.Equal(IpcError.IpcErrorIO, error.Code);
        Assert.Equal("IPC error -5: failed to read input: bufio.Scanner: token too long", error.Error());
        Assert.Equal(3, device.Junk.Count);
        Assert.Null(device.IPackets[0]);
    }

    [Fact]
    public void LineJustUnder64KiB_IsRead()
    {
        var device = new DeviceState();

        // 65535 bytes before the newline, the trailing CR included: the most the scanner's buffer takes.
        var error = Uapi.IpcSetOperation(device, "i1=" + new string('x', 65535 - 4) + "\r\njc=1");

        Assert.Null(error);
        Assert.Equal(65531, device.IPackets[0]!.Spec.Length);
        Assert.Equal(1, device.Junk.Count);
    }

    [Fact]
    public void CrLfLines_AndCrOnlyBlankLine_EndTheOperation()
    {
        var device = new DeviceState();

        Assert.Null(Uapi.IpcSetOperation(device, "jc=2\r\njmin=5\r\n\r\njmax=x"));
        Assert.Equal((2L, 5L, 0L), (device.Junk.Count, device.Junk.Min, device.Junk.Max));
    }

    [Theory]
    [InlineData("public_key=00")]
    [InlineData("private_key=00")]
    [InlineData("listen_port=51820")]
    [InlineData("JC=4")]
    public void NonObfuscationKeys_AreInvalidDeviceKeys(string line)
    {
        var error = Uapi.IpcSetOperation(new DeviceState(), line);

        Assert.NotNull(error);
        Assert.Equal($"IPC error -22: invalid UAPI device key: {line[..line.IndexOf('=', StringComparison.Ordinal)]}", error.Error());
    }

    [Fact]
    public void CounterTag_IsAcceptedInAnIPacket()
    {
        var device = new DeviceState();

        Assert.Null(Uapi.IpcSetOperation(device, "i2=<b 0x01><c>"));
        Assert.Equal(5, device.IPackets[1]!.ObfuscatedLen(0));
    }

    [Theory]
    [InlineData("h4=0-4294967295", "IPC error -22: failed to parse H4: range 0-4294967295 is too wide: its width 4294967296 does not fit in uint32")]
    [InlineData("i1=<r -1>", "IPC error -22: failed to parse I1: failed to build <r>: length -1 is negative")]
    [InlineData("i3=<r 70000>", "IPC error -22: failed to parse I3: failed to build <r>: length 70000 exceeds 65527, the largest UDP payload")]
    public void ValuesUpstreamCrashesOn_AreRejected(string input, string expected)
    {
        var device = new DeviceState();

        var error = Uapi.IpcSetOperation(device, input);

        Assert.NotNull(error);
        Assert.Equal(expected, error.Error());
        Assert.Equal("4", device.Headers.Transport.GenSpec());
        Assert.All(device.IPackets, Assert.Null);
    }

    [Fact]
    public void FixingTheOverlap_UnwedgesLaterOperations()
    {
        var device = new DeviceState();
        Assert.NotNull(Uapi.IpcSetOperation(device, "h1=2"));
        Assert.NotNull(Uapi.IpcSetOperation(device, "jc=1"));

        Assert.Null(Uapi.IpcSetOperation(device, "h2=20"));
        Assert.Equal(("2", "20"), (device.Headers.Init.GenSpec(), device.Headers.Response.GenSpec()));
    }
}
