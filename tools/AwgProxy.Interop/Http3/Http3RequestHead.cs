using System.Text;
using AwgProxy.Interop.Http3.Qpack;

namespace AwgProxy.Interop.Http3;

/// <summary>The request pseudo-header fields (RFC 9114 section 4.3.1) of a decoded HEADERS frame.</summary>
public sealed record Http3RequestHead(string Method, string Scheme, string Path, string? Authority)
{
    /// <summary>
    /// Decodes <paramref name="fieldSection"/>. On failure <paramref name="errorCode"/> is
    /// QPACK_DECOMPRESSION_FAILED (undecodable) or H3_MESSAGE_ERROR (malformed request) and
    /// <paramref name="error"/> says why.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> fieldSection, out Http3RequestHead? head, out long errorCode, out string? error)
    {
        head = null;
        errorCode = 0;
        error = null;
        Span<byte> scratch = stackalloc byte[4096];
        var reader = new QpackFieldSectionReader(fieldSection, scratch);
        string? method = null;
        string? scheme = null;
        string? path = null;
        string? authority = null;
        bool regularSeen = false;
        while (true)
        {
            QpackStatus status = reader.TryReadFieldLine(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);
            if (status == QpackStatus.End)
            {
                break;
            }

            if (status != QpackStatus.FieldLine)
            {
                errorCode = Http3ErrorCode.QpackDecompressionFailed;
                error = $"QPACK: {status}";
                return false;
            }

            if (name.IsEmpty || name[0] != (byte)':')
            {
                regularSeen = true;
                continue;
            }

            ref string? slot = ref method;
            if (name.SequenceEqual(Http3FieldNames.Method))
            {
                slot = ref method;
            }
            else if (name.SequenceEqual(Http3FieldNames.Scheme))
            {
                slot = ref scheme;
            }
            else if (name.SequenceEqual(Http3FieldNames.Path))
            {
                slot = ref path;
            }
            else if (name.SequenceEqual(Http3FieldNames.Authority))
            {
                slot = ref authority;
            }
            else
            {
                return Malformed($"unknown pseudo-header {Encoding.ASCII.GetString(name)}", out errorCode, out error);
            }

            if (regularSeen)
            {
                return Malformed("pseudo-header after a regular field", out errorCode, out error);
            }

            if (slot is not null)
            {
                return Malformed($"repeated {Encoding.ASCII.GetString(name)}", out errorCode, out error);
            }

            slot = Encoding.ASCII.GetString(value);
        }

        if (method is null || scheme is null || path is null || path.Length == 0)
        {
            return Malformed("missing :method, :scheme or :path", out errorCode, out error);
        }

        head = new Http3RequestHead(method, scheme, path, authority);
        return true;
    }

    private static bool Malformed(string message, out long errorCode, out string? error)
    {
        errorCode = Http3ErrorCode.MessageError;
        error = message;
        return false;
    }
}
