using System.Text;
using AwgProxy.Interop.Protocols;

namespace AwgProxy.Interop.Tests.Protocols;

public class InteropTestRequestTests
{
    private static InteropTestRequestStatus Parse(string text, out InteropTestRequest request, out int lineLength) =>
        InteropTestRequest.TryParse(Encoding.ASCII.GetBytes(text), out request, out lineLength);

    [Theory]
    [InlineData("GET 0\n", 0L, 6)]
    [InlineData("GET 104857600\n", 104857600L, 14)]
    [InlineData("GET /5\r\n", 5L, 8)]
    [InlineData("GET /5\r\n\r\nignored", 5L, 8)]
    [InlineData("GET 5 extra words\n", 5L, 18)]
    [InlineData("  GET\t7  \n", 7L, 10)]
    [InlineData("GET +3\n", 3L, 7)]
    [InlineData("GET -0\n", 0L, 7)]
    [InlineData("GET 5\r\r\n", 5L, 8)]
    public void Get_ParsesLengthAndLineLength(string text, long length, int expectedLine)
    {
        Assert.Equal(InteropTestRequestStatus.Complete, Parse(text, out InteropTestRequest request, out int line));
        Assert.Equal(new InteropTestRequest(InteropTestRequestKind.Get, length), request);
        Assert.Equal(expectedLine, line);
    }

    [Theory]
    [InlineData("PUT\n", InteropTestRequestKind.Put)]
    [InlineData("DISCARD\n", InteropTestRequestKind.Put)]
    [InlineData("PUT\r\npayload", InteropTestRequestKind.Put)]
    [InlineData("ECHO\n", InteropTestRequestKind.Echo)]
    [InlineData(" ECHO \n", InteropTestRequestKind.Echo)]
    public void PutAndEcho_Parse(string text, InteropTestRequestKind kind)
    {
        Assert.Equal(InteropTestRequestStatus.Complete, Parse(text, out InteropTestRequest request, out int line));
        Assert.Equal(kind, request.Kind);
        Assert.Equal(text.IndexOf('\n', StringComparison.Ordinal) + 1, line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET 5")]
    [InlineData("PUT")]
    [InlineData("GET /12345\r")]
    public void IncompleteLine_NeedsMore(string text)
    {
        Assert.Equal(InteropTestRequestStatus.NeedMore, Parse(text, out _, out _));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("BOGUS\n")]
    [InlineData("get 5\n")]
    [InlineData("GET\n")]
    [InlineData("GET -1\n")]
    [InlineData("GET five\n")]
    [InlineData("GET /\n")]
    [InlineData("GET //5\n")]
    [InlineData("GET 1_000\n")]
    [InlineData("GET 99999999999999999999\n")]
    [InlineData("PUT 5\n")]
    [InlineData("ECHO now\n")]
    [InlineData("DISCARD all\n")]
    public void BadLines_AreInvalid(string text)
    {
        Assert.Equal(InteropTestRequestStatus.Invalid, Parse(text, out _, out _));
    }

    [Fact]
    public void LineWithoutNewlineWithinLimit_IsInvalidOnceTheLimitIsReached()
    {
        byte[] longLine = new byte[InteropTestRequest.MaxLineLength];
        longLine.AsSpan().Fill((byte)'A');
        Assert.Equal(InteropTestRequestStatus.NeedMore, InteropTestRequest.TryParse(longLine.AsSpan(0, InteropTestRequest.MaxLineLength - 1), out _, out _));
        Assert.Equal(InteropTestRequestStatus.Invalid, InteropTestRequest.TryParse(longLine, out _, out _));

        byte[] newlineTooLate = new byte[InteropTestRequest.MaxLineLength + 10];
        Encoding.ASCII.GetBytes("GET 5").CopyTo(newlineTooLate, 0);
        newlineTooLate.AsSpan(5).Fill((byte)' ');
        newlineTooLate[^1] = (byte)'\n';
        Assert.Equal(InteropTestRequestStatus.Invalid, InteropTestRequest.TryParse(newlineTooLate, out _, out _));
    }
}
