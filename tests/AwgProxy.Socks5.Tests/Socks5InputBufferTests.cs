using AwgProxy.Socks5.Tests.Protocol;

namespace AwgProxy.Socks5.Tests;

public class Socks5InputBufferTests
{
    [Fact]
    public void ConsumingEverything_StartsOverAtTheFront()
    {
        using var buffer = new Socks5InputBuffer(16);
        ParseHarness.Feed(buffer, [1, 2, 3]);
        buffer.Consume(3);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(16, buffer.GetFreeMemory().Length);
    }

    [Fact]
    public void FullTail_IsMovedToTheFrontKeepingTheUnparsedBytes()
    {
        using var buffer = new Socks5InputBuffer(8);
        ParseHarness.Feed(buffer, [1, 2, 3, 4, 5, 6, 7, 8]);
        buffer.Consume(5);
        Assert.Equal(5, buffer.GetFreeMemory().Length);
        Assert.Equal(new byte[] { 6, 7, 8 }, buffer.Data.ToArray());
        ParseHarness.Feed(buffer, [9, 10]);
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10 }, buffer.Data.ToArray());
    }

    [Fact]
    public void FullBuffer_HasNoFreeMemory()
    {
        using var buffer = new Socks5InputBuffer(4);
        ParseHarness.Feed(buffer, [1, 2, 3, 4]);
        Assert.True(buffer.GetFreeMemory().IsEmpty);
    }

    [Fact]
    public void ConsumingOrAdvancingTooMuch_Throws()
    {
        using var buffer = new Socks5InputBuffer(4);
        ParseHarness.Feed(buffer, [1, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Consume(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(3));
    }

    [Fact]
    public void DefaultCapacity_HoldsTheLargestMessageTwice()
    {
        Assert.True(Socks5InputBuffer.DefaultCapacity >= 2 * AwgProxy.Socks5.Protocol.Socks5Constants.MaxUsernamePasswordRequestLength - 2);
    }

    [Fact]
    public void AfterDispose_DataIsUnavailable()
    {
        var buffer = new Socks5InputBuffer(4);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Data.Length);
    }
}
