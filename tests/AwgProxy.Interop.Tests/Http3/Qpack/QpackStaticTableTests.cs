using AwgProxy.Interop.Http3.Qpack;

namespace AwgProxy.Interop.Tests.Http3.Qpack;

public class QpackStaticTableTests
{
    [Theory]
    [InlineData(0, ":authority", "")]
    [InlineData(1, ":path", "/")]
    [InlineData(4, "content-length", "0")]
    [InlineData(15, ":method", "CONNECT")]
    [InlineData(17, ":method", "GET")]
    [InlineData(21, ":method", "PUT")]
    [InlineData(23, ":scheme", "https")]
    [InlineData(25, ":status", "200")]
    [InlineData(27, ":status", "404")]
    [InlineData(29, "accept", "*/*")]
    [InlineData(31, "accept-encoding", "gzip, deflate, br")]
    [InlineData(44, "content-type", "application/dns-message")]
    [InlineData(53, "content-type", "text/plain")]
    [InlineData(58, "strict-transport-security", "max-age=31536000; includesubdomains; preload")]
    [InlineData(63, ":status", "100")]
    [InlineData(71, ":status", "500")]
    [InlineData(85, "content-security-policy", "script-src 'none'; object-src 'none'; base-uri 'none'")]
    [InlineData(92, "server", "")]
    [InlineData(95, "user-agent", "")]
    [InlineData(98, "x-frame-options", "sameorigin")]
    public void Entry_MatchesRfc9204AppendixA(int index, string name, string value)
    {
        Assert.Equal((name, value), QpackStaticTable.Get(index));
    }

    [Fact]
    public void Table_HasExactly99Entries()
    {
        Assert.True(QpackStaticTable.TryGet(98, out _, out _));
        Assert.False(QpackStaticTable.TryGet(99, out _, out _));
        Assert.False(QpackStaticTable.TryGet(ulong.MaxValue, out _, out _));
    }

    [Fact]
    public void Names_AreLowercaseAsciiWithoutSpaces()
    {
        for (int i = 0; i < QpackStaticTable.Count; i++)
        {
            string name = QpackStaticTable.Get(i).Name;
            Assert.Matches("^:?[a-z0-9-]+$", name);
        }
    }

    [Fact]
    public void NamedConstants_PointAtTheirEntries()
    {
        Assert.Equal((":method", "GET"), QpackStaticTable.Get(QpackStaticTable.MethodGet));
        Assert.Equal((":method", "HEAD"), QpackStaticTable.Get(QpackStaticTable.MethodHead));
        Assert.Equal((":scheme", "https"), QpackStaticTable.Get(QpackStaticTable.SchemeHttps));
        Assert.Equal((":status", "200"), QpackStaticTable.Get(QpackStaticTable.Status200));
        Assert.Equal((":status", "404"), QpackStaticTable.Get(QpackStaticTable.Status404));
        Assert.Equal((":status", "503"), QpackStaticTable.Get(QpackStaticTable.Status503));
        Assert.Equal(("content-length", "0"), QpackStaticTable.Get(QpackStaticTable.ContentLength));
        Assert.Equal(("content-type", "text/plain"), QpackStaticTable.Get(QpackStaticTable.ContentTypeTextPlain));
        Assert.Equal((":authority", ""), QpackStaticTable.Get(QpackStaticTable.Authority));
        Assert.Equal((":path", "/"), QpackStaticTable.Get(QpackStaticTable.PathSlash));
    }
}
