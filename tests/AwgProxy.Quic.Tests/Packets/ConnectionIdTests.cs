using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Tests.Packets;

public class ConnectionIdTests
{
    [Fact]
    public void HoldsUpTo20BytesInline()
    {
        byte[] bytes = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var id = new ConnectionId(bytes);
        Assert.Equal(20, id.Length);
        Assert.Equal(bytes, id.AsSpan().ToArray());
        byte[] copy = new byte[20];
        Assert.Equal(20, id.CopyTo(copy));
        Assert.Equal(bytes, copy);
        Assert.Equal(Convert.ToHexStringLower(bytes), id.ToString());
        bytes[0] = 99; // the ID owns its copy
        Assert.Equal(1, id.AsSpan()[0]);
    }

    [Fact]
    public void LongerThan20_IsRejected()
    {
        Assert.False(ConnectionId.TryCreate(new byte[21], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionId(new byte[21]));
        Assert.True(ConnectionId.TryCreate([], out ConnectionId empty));
        Assert.True(empty.IsEmpty);
        Assert.Equal(ConnectionId.Empty, empty);
    }

    [Fact]
    public void Equality_IsByValue_AndWorksAsADictionaryKey()
    {
        var a = new ConnectionId([1, 2, 3, 4]);
        var b = new ConnectionId([1, 2, 3, 4]);
        var shorter = new ConnectionId([1, 2, 3]);
        var zeroPadded = new ConnectionId([1, 2, 3, 4, 0]);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.NotEqual(a, shorter);
        Assert.NotEqual(a, zeroPadded);
        Assert.True(a.Equals([1, 2, 3, 4]));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        var table = new Dictionary<ConnectionId, string> { [a] = "first", [shorter] = "second" };
        Assert.Equal("first", table[b]);
        Assert.Equal("second", table[new ConnectionId([1, 2, 3])]);
        Assert.False(table.ContainsKey(zeroPadded));
    }

    [Fact]
    public void StatelessResetToken_ComparesByValue()
    {
        byte[] bytes = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var token = new StatelessResetToken(bytes);
        Assert.True(token.FixedTimeEquals(bytes));
        bytes[15] ^= 1;
        Assert.False(token.FixedTimeEquals(bytes));
        Assert.NotEqual(token, new StatelessResetToken(bytes));
        Assert.False(token.FixedTimeEquals(bytes.AsSpan(0, 15)));
        Assert.False(StatelessResetToken.TryCreate(new byte[15], out _));
        Assert.Equal("000102030405060708090a0b0c0d0e0f", token.ToString());
        var set = new HashSet<StatelessResetToken> { token };
        Assert.Contains(new StatelessResetToken(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray()), set);
    }
}
