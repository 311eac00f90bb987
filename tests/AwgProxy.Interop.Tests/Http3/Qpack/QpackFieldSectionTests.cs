using System.Text;
using AwgProxy.Interop.Http3.Qpack;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Http3.Qpack;

public class QpackFieldSectionTests
{
    private static (QpackStatus Status, List<(string Name, string Value)> Fields) Decode(byte[] section, int scratchSize = 4096)
    {
        var fields = new List<(string, string)>();
        byte[] scratch = new byte[scratchSize];
        var reader = new QpackFieldSectionReader(section, scratch);
        while (true)
        {
            QpackStatus status = reader.TryReadFieldLine(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);
            if (status != QpackStatus.FieldLine)
            {
                return (status, fields);
            }

            fields.Add((Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
        }
    }

    /// <summary>A field section encoded the way nghttp3 encodes gtlsclient's request (static table, Huffman literals).</summary>
    internal static byte[] Nghttp3StyleRequest(string path, string authority)
    {
        var section = new List<byte> { 0x00, 0x00, 0xd1, 0xd7 };
        AddHuffmanLiteralWithNameReference(section, 0x50, 1, path);            // :path (static 1), N=0
        AddHuffmanLiteralWithNameReference(section, 0x50, 0, authority);       // :authority (static 0)
        AddHuffmanLiteralWithNameReference(section, 0x70, 95, "nghttp3/ngtcp2 client"); // user-agent (static 95), N=1
        return [.. section];
    }

    internal static void AddHuffmanLiteralWithNameReference(List<byte> section, byte flags, int index, string value)
    {
        byte[] prefix = new byte[8];
        int n = QpackInteger.Write(prefix, (ulong)index, 4, flags);
        section.AddRange(prefix[..n]);
        byte[] huffman = TestHuffmanEncoder.Encode(value);
        n = QpackInteger.Write(prefix, (ulong)huffman.Length, 7, 0x80);
        section.AddRange(prefix[..n]);
        section.AddRange(huffman);
    }

    [Fact]
    public void Rfc9204B1_LiteralWithStaticNameReference()
    {
        (QpackStatus status, var fields) = Decode(Convert.FromHexString("0000510b2f696e6465782e68746d6c"));
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal([(":path", "/index.html")], fields);
    }

    [Fact]
    public void ReadmeRequestBytes_DecodeToGetRequest()
    {
        byte[] section = [0x00, 0x00, 0xd1, 0xd7, 0x51, 0x02, (byte)'/', (byte)'5', 0x50, 0x09, .. "localhost"u8];
        (QpackStatus status, var fields) = Decode(section);
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal([(":method", "GET"), (":scheme", "https"), (":path", "/5"), (":authority", "localhost")], fields);
    }

    [Fact]
    public void Nghttp3StyleRequest_DecodesThroughTheHuffmanPath()
    {
        (QpackStatus status, var fields) = Decode(Nghttp3StyleRequest("/104857600", "localhost:4433"));
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal(
            [(":method", "GET"), (":scheme", "https"), (":path", "/104857600"), (":authority", "localhost:4433"), ("user-agent", "nghttp3/ngtcp2 client")],
            fields);
    }

    [Fact]
    public void LiteralWithLiteralName_RawAndHuffman()
    {
        var section = new List<byte> { 0x00, 0x00 };
        // 001 N=0 H=0 NameLen(3+) = 6: "x-test", then raw value "1".
        section.AddRange([0x26, .. "x-test"u8, 0x01, (byte)'1']);
        // 001 N=1 H=1 NameLen(3+): Huffman name "custom-key" (8 octets: 7 + 1), Huffman value "custom-value".
        byte[] name = TestHuffmanEncoder.Encode("custom-key");
        byte[] value = TestHuffmanEncoder.Encode("custom-value");
        section.AddRange([0x3F, (byte)(name.Length - 7), .. name, (byte)(0x80 | value.Length), .. value]);
        (QpackStatus status, var fields) = Decode([.. section]);
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal([("x-test", "1"), ("custom-key", "custom-value")], fields);
    }

    [Fact]
    public void GtlsserverStyleResponse_Decodes()
    {
        var section = new List<byte> { 0x00, 0x00, 0xd9 };
        AddHuffmanLiteralWithNameReference(section, 0x70, 92, "nghttp3/ngtcp2 server");
        AddHuffmanLiteralWithNameReference(section, 0x50, 44, "application/octet-stream");
        AddHuffmanLiteralWithNameReference(section, 0x50, 4, "104857600");
        (QpackStatus status, var fields) = Decode([.. section]);
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal(
            [(":status", "200"), ("server", "nghttp3/ngtcp2 server"), ("content-type", "application/octet-stream"), ("content-length", "104857600")],
            fields);
    }

    [Theory]
    [InlineData("0100", QpackStatus.DynamicTableReference)] // Required Insert Count 1
    [InlineData("0080", QpackStatus.InvalidBase)] // Sign bit with Required Insert Count 0
    [InlineData("000080", QpackStatus.DynamicTableReference)] // indexed, T=0 (dynamic)
    [InlineData("000010", QpackStatus.DynamicTableReference)] // indexed, post-base
    [InlineData("00004001", QpackStatus.DynamicTableReference)] // literal with dynamic name reference
    [InlineData("00000001", QpackStatus.DynamicTableReference)] // literal with post-base name reference
    [InlineData("0000ff24", QpackStatus.InvalidStaticIndex)] // static index 63 + 36 = 99
    [InlineData("00005f5401", QpackStatus.InvalidStaticIndex)] // name reference to static 99
    [InlineData("0000ff", QpackStatus.Truncated)]
    [InlineData("00005103", QpackStatus.Truncated)] // value length 3, no value
    [InlineData("00", QpackStatus.Truncated)]
    [InlineData("", QpackStatus.Truncated)]
    [InlineData("0000518118", QpackStatus.InvalidHuffman)] // value Huffman 0x18: 'a' + padding 000
    [InlineData("000051ff8080808080808080808001", QpackStatus.IntegerOverflow)]
    public void BadSections_AreRejectedWithTheirReason(string hex, QpackStatus expected)
    {
        Assert.Equal(expected, Decode(Convert.FromHexString(hex)).Status);
    }

    [Fact]
    public void HuffmanValueLargerThanScratch_IsFieldTooLarge()
    {
        var section = new List<byte> { 0x00, 0x00 };
        AddHuffmanLiteralWithNameReference(section, 0x50, 1, "/" + new string('1', 100));
        Assert.Equal(QpackStatus.FieldTooLarge, Decode([.. section], scratchSize: 50).Status);
    }

    [Fact]
    public void EveryTruncation_EndsEarlyOrReportsTruncatedWithoutThrowing()
    {
        byte[] section = Nghttp3StyleRequest("/1048576", "localhost");
        (QpackStatus _, var complete) = Decode(section);
        for (int cut = 0; cut < section.Length; cut++)
        {
            (QpackStatus status, var fields) = Decode(section[..cut]);
            Assert.True(status is QpackStatus.End or QpackStatus.Truncated or QpackStatus.InvalidHuffman, $"cut {cut}: {status}");
            Assert.True(fields.Count < complete.Count || status != QpackStatus.End, $"cut {cut} decoded everything");
            Assert.Equal(complete.Take(fields.Count), fields);
        }
    }

    [Fact]
    public void Writer_ProducesTheReadmeRequestBytes()
    {
        byte[] buffer = new byte[64];
        var writer = new QpackFieldSectionWriter(buffer);
        writer.WriteIndexed(QpackStaticTable.MethodGet);
        writer.WriteIndexed(QpackStaticTable.SchemeHttps);
        writer.WriteLiteralWithNameReference(QpackStaticTable.PathSlash, "/5"u8);
        writer.WriteLiteralWithNameReference(QpackStaticTable.Authority, "localhost"u8);
        Assert.Equal("0000d1d751022f35500" + "96c6f63616c686f7374", Convert.ToHexStringLower(writer.Written));
    }

    [Fact]
    public void Writer_LargeIndicesAndLiteralNames_RoundTrip()
    {
        byte[] buffer = new byte[512];
        var writer = new QpackFieldSectionWriter(buffer);
        writer.WriteIndexed(98);
        writer.WriteLiteralWithNameReference(95, Encoding.ASCII.GetBytes(new string('u', 200)));
        writer.WriteLiteralWithLiteralName("x-long-name"u8, "v"u8);
        (QpackStatus status, var fields) = Decode(buffer[..writer.Length]);
        Assert.Equal(QpackStatus.End, status);
        Assert.Equal([("x-frame-options", "sameorigin"), ("user-agent", new string('u', 200)), ("x-long-name", "v")], fields);
    }

    [Fact]
    public void Writer_OverflowIsAProgrammingError()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new QpackFieldSectionWriter(new byte[4]);
            writer.WriteLiteralWithNameReference(1, "/too-long"u8);
        });
    }
}
