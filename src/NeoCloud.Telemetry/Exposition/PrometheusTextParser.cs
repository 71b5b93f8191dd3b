using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NeoCloud.Telemetry.Exposition;

/// <summary>
/// Reads Prometheus text exposition format 0.0.4 from UTF-8 bytes into a <see cref="SampleBatch"/>:
/// the whole page, or nothing and an error with its line and column.
/// </summary>
/// <remarks>
/// Once the batch is warm (it has seen the exporter's names, label values and label sets) a page
/// is read without a managed allocation. A label set seen before is recognised by its raw bytes
/// and not parsed again, which is what makes repeated dcgm-exporter pages cheap.
/// </remarks>
public static class PrometheusTextParser
{
    private static readonly SearchValues<byte> MetricNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:"u8);

    private static readonly SearchValues<byte> LabelNameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"u8);

    /// <summary>Parses a page into the batch, replacing what it held.</summary>
    /// <exception cref="TelemetryParseException">The page is not valid; the batch is then empty.</exception>
    public static void Parse(ReadOnlySpan<byte> page, SampleBatch batch)
    {
        if (!TryParse(page, batch, out TelemetryParseException? error))
        {
            throw error;
        }
    }

    /// <summary>Parses a page into the batch; on failure the batch is empty and the error says where and why.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> page, SampleBatch batch, [NotNullWhen(false)] out TelemetryParseException? error)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.BeginPage();
        var reader = new PageReader(batch);
        int lineNumber = 0;
        while (!page.IsEmpty)
        {
            lineNumber++;
            ReadOnlySpan<byte> line;
            int newline = page.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line = page;
                page = default;
            }
            else
            {
                line = page[..newline];
                page = page[(newline + 1)..];
            }

            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (!reader.ReadLine(line, lineNumber))
            {
                // Never hand over part of a page: the samples read so far are dropped.
                batch.Clear();
                error = new TelemetryParseException(lineNumber, reader.ErrorColumn + 1, reader.ErrorReason);
                return false;
            }
        }

        batch.Commit(reader.SampleCount, reader.FamilyCount);
        error = null;
        return true;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int SkipBlanks(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && IsBlank(line[i]))
        {
            i++;
        }

        return i;
    }

    private static int EndOfToken(ReadOnlySpan<byte> line, int i)
    {
        int blank = line[i..].IndexOfAny((byte)' ', (byte)'\t');
        return blank < 0 ? line.Length : i + blank;
    }

    private static string Printable(ReadOnlySpan<byte> token)
    {
        const int MaxShown = 64;
        string text = Encoding.UTF8.GetString(token.Length > MaxShown ? token[..MaxShown] : token);
        return token.Length > MaxShown ? text + "..." : text;
    }

    /// <summary>The state of one page being read; a struct so that a parse allocates nothing.</summary>
    private struct PageReader(SampleBatch batch)
    {
        public int SampleCount;
        public int FamilyCount;
        public int ErrorColumn;
        public string ErrorReason = "";
        private int _currentFamily = -1;

        public bool ReadLine(ReadOnlySpan<byte> line, int lineNumber)
        {
            int start = SkipBlanks(line, 0);
            if (start == line.Length)
            {
                return true;
            }

            return line[start] == (byte)'#' ? ReadComment(line, start + 1) : ReadSample(line, start, lineNumber);
        }

        private bool ReadComment(ReadOnlySpan<byte> line, int i)
        {
            i = SkipBlanks(line, i);
            ReadOnlySpan<byte> rest = line[i..];
            bool isHelp = rest.StartsWith("HELP"u8);
            if (!isHelp && !rest.StartsWith("TYPE"u8))
            {
                return true;
            }

            int nameStart = SkipBlanks(line, i + 4);
            if (nameStart == i + 4 || nameStart == line.Length)
            {
                // "# HELPER ..." or a bare "# HELP": a plain comment, as in the reference parser.
                return true;
            }

            int nameEnd = EndOfName(line, nameStart, MetricNameChars);
            if (nameEnd == nameStart || IsDigit(line[nameStart]) || (nameEnd < line.Length && !IsBlank(line[nameEnd])))
            {
                int at = nameEnd == nameStart || IsDigit(line[nameStart]) ? nameStart : nameEnd;
                return Fail(at, "invalid metric name in HELP or TYPE line");
            }

            int textStart = SkipBlanks(line, nameEnd);
            if (textStart == line.Length)
            {
                // A name and nothing more says nothing; the reference parser ignores it too.
                return true;
            }

            int family = FindOrAddFamily(batch.Intern(line[nameStart..nameEnd]));
            _currentFamily = family;
            return isHelp
                ? ReadHelp(line, textStart, family, nameStart)
                : ReadType(line, textStart, family, nameStart);
        }

        private bool ReadHelp(ReadOnlySpan<byte> line, int i, int family, int nameStart)
        {
            if (batch.FamilyHelp[family] >= 0)
            {
                return Fail(nameStart, $"second HELP line for '{batch.StringAt(batch.FamilyName[family])}'");
            }

            ReadOnlySpan<byte> text = line[i..];
            int helpId;
            if (text.IndexOf((byte)'\\') < 0)
            {
                helpId = batch.Intern(text);
            }
            else
            {
                byte[] scratch = batch.ScratchFor(text.Length);
                int length = 0;
                for (int k = 0; k < text.Length; k++)
                {
                    if (text[k] != (byte)'\\')
                    {
                        scratch[length++] = text[k];
                        continue;
                    }

                    if (k + 1 == text.Length || (text[k + 1] != (byte)'\\' && text[k + 1] != (byte)'n'))
                    {
                        string sequence = k + 1 == text.Length ? "\\" : "\\" + (char)text[k + 1];
                        return Fail(i + k, $"invalid escape sequence '{sequence}' in HELP text");
                    }

                    scratch[length++] = text[++k] == (byte)'n' ? (byte)'\n' : (byte)'\\';
                }

                helpId = batch.Intern(scratch.AsSpan(0, length));
            }

            if (helpId < 0)
            {
                return Fail(i, "HELP text is not valid UTF-8");
            }

            batch.FamilyHelp[family] = helpId;
            return true;
        }

        private bool ReadType(ReadOnlySpan<byte> line, int i, int family, int nameStart)
        {
            int end = EndOfToken(line, i);
            ReadOnlySpan<byte> token = line[i..end];
            MetricType type;
            if (Ascii.EqualsIgnoreCase(token, "counter"u8)) { type = MetricType.Counter; }
            else if (Ascii.EqualsIgnoreCase(token, "gauge"u8)) { type = MetricType.Gauge; }
            else if (Ascii.EqualsIgnoreCase(token, "histogram"u8)) { type = MetricType.Histogram; }
            else if (Ascii.EqualsIgnoreCase(token, "summary"u8)) { type = MetricType.Summary; }
            else if (Ascii.EqualsIgnoreCase(token, "untyped"u8)) { type = MetricType.Untyped; }
            else { return Fail(i, $"unknown metric type '{Printable(token)}'"); }

            if (SkipBlanks(line, end) != line.Length)
            {
                return Fail(SkipBlanks(line, end), "unexpected text after the metric type");
            }

            string name = batch.StringAt(batch.FamilyName[family]);
            if (batch.FamilyTyped[family])
            {
                return Fail(nameStart, $"second TYPE line for '{name}'");
            }

            if (batch.FamilySampleCount[family] > 0)
            {
                return Fail(nameStart, $"TYPE line for '{name}' after its samples");
            }

            batch.FamilyType[family] = type;
            batch.FamilyTyped[family] = true;
            return true;
        }

        private bool ReadSample(ReadOnlySpan<byte> line, int start, int lineNumber)
        {
            int nameEnd = EndOfName(line, start, MetricNameChars);
            if (nameEnd == start || IsDigit(line[start]))
            {
                return Fail(start, "invalid metric name");
            }

            ReadOnlySpan<byte> name = line[start..nameEnd];
            int nameId;
            int family;
            int current = _currentFamily;
            if (current >= 0 && batch.Strings.KeyAt(batch.FamilyName[current]).SequenceEqual(name))
            {
                // The common case: the sample belongs to the family whose HELP/TYPE came just before.
                nameId = batch.FamilyName[current];
                family = current;
            }
            else
            {
                nameId = batch.Intern(name);
                family = FamilyForSample(nameId, name);
            }

            int i = nameEnd;
            if (i < line.Length && !IsBlank(line[i]) && line[i] != (byte)'{')
            {
                return Fail(i, "invalid character in metric name");
            }

            i = SkipBlanks(line, i);
            int labelStart = 0;
            int labelCount = 0;
            if (i < line.Length && line[i] == (byte)'{')
            {
                if (!ReadLabels(line, ref i, out labelStart, out labelCount))
                {
                    return false;
                }

                i = SkipBlanks(line, i);
            }

            if (i == line.Length)
            {
                return Fail(i, "missing value");
            }

            int valueEnd = EndOfToken(line, i);
            if (!ExpositionNumbers.TryParseValue(line[i..valueEnd], out double value))
            {
                return Fail(i, $"invalid value '{Printable(line[i..valueEnd])}'");
            }

            i = SkipBlanks(line, valueEnd);
            long timestamp = 0;
            bool hasTimestamp = i < line.Length;
            if (hasTimestamp)
            {
                int timestampEnd = EndOfToken(line, i);
                if (!ExpositionNumbers.TryParseTimestamp(line[i..timestampEnd], out timestamp))
                {
                    return Fail(i, $"invalid timestamp '{Printable(line[i..timestampEnd])}'");
                }

                i = SkipBlanks(line, timestampEnd);
                if (i < line.Length)
                {
                    return Fail(i, "unexpected text after the timestamp");
                }
            }

            int n = SampleCount++;
            batch.EnsureSampleCapacity(n);
            batch.SampleName[n] = nameId;
            batch.SampleValue[n] = value;
            batch.SampleTimestamp[n] = timestamp;
            batch.SampleHasTimestamp[n] = hasTimestamp;
            batch.SampleLabelStart[n] = labelStart;
            batch.SampleLabelCount[n] = labelCount;
            batch.SampleFamily[n] = family;
            batch.SampleLine[n] = lineNumber;
            batch.FamilySampleCount[family]++;
            return true;
        }

        private bool ReadLabels(ReadOnlySpan<byte> line, ref int i, out int start, out int count)
        {
            int open = i;
            int close = line.LastIndexOf((byte)'}');
            if (close > open)
            {
                // A label set seen before, byte for byte, was fully validated then: reuse its pairs.
                // The last '}' of the line is the only candidate, as values and timestamps hold none.
                ReadOnlySpan<byte> candidate = line[open..(close + 1)];
                int known = batch.LabelSets.Find(candidate);
                if (known >= 0)
                {
                    SampleBatch.LabelRun run = batch.LabelSets.ValueAt(known);
                    start = run.Start;
                    count = run.Count;
                    i = close + 1;
                    return true;
                }
            }

            start = batch.PoolCount;
            count = 0;
            int p = open + 1;
            while (true)
            {
                p = SkipBlanks(line, p);
                if (p == line.Length)
                {
                    return Fail(p, "expected a label name or '}'");
                }

                if (line[p] == (byte)'}')
                {
                    p++;
                    break;
                }

                int nameEnd = EndOfName(line, p, LabelNameChars);
                if (nameEnd == p || IsDigit(line[p]))
                {
                    return Fail(p, "invalid label name");
                }

                int nameId = batch.Intern(line[p..nameEnd]);
                for (int k = start; k < start + count; k++)
                {
                    if (batch.PoolNames[k] == nameId)
                    {
                        return Fail(p, $"duplicate label name '{batch.StringAt(nameId)}'");
                    }
                }

                p = SkipBlanks(line, nameEnd);
                if (p == line.Length || line[p] != (byte)'=')
                {
                    return Fail(p, "expected '=' after the label name");
                }

                p = SkipBlanks(line, p + 1);
                if (p == line.Length || line[p] != (byte)'"')
                {
                    return Fail(p, "expected '\"' to open the label value");
                }

                if (!ReadLabelValue(line, ref p, out int valueId))
                {
                    return false;
                }

                batch.EnsurePoolCapacity(start + count + 1);
                batch.PoolNames[start + count] = nameId;
                batch.PoolValues[start + count] = valueId;
                count++;

                p = SkipBlanks(line, p);
                if (p < line.Length && line[p] == (byte)',')
                {
                    p++;
                    continue;
                }

                if (p < line.Length && line[p] == (byte)'}')
                {
                    p++;
                    break;
                }

                return Fail(p, "expected ',' or '}' after the label value");
            }

            batch.PoolCount = start + count;
            ReadOnlySpan<byte> key = line[open..p];
            int hash = Utf8KeyTable<SampleBatch.LabelRun>.Hash(key);
            if (batch.LabelSets.Find(key, hash) < 0)
            {
                batch.LabelSets.Add(key, hash, new SampleBatch.LabelRun(start, count));
            }

            i = p;
            return true;
        }

        /// <summary>Reads a quoted label value starting at the opening quote; leaves <paramref name="p"/> after the closing one.</summary>
        private bool ReadLabelValue(ReadOnlySpan<byte> line, ref int p, out int valueId)
        {
            int quote = p;
            valueId = -1;
            ReadOnlySpan<byte> rest = line[(quote + 1)..];
            int stop = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (stop < 0)
            {
                return Fail(quote, "unterminated label value");
            }

            if (rest[stop] == (byte)'"')
            {
                valueId = batch.Intern(rest[..stop]);
                p = quote + 1 + stop + 1;
            }
            else
            {
                byte[] scratch = batch.ScratchFor(rest.Length);
                int length = 0;
                int k = 0;
                while (true)
                {
                    stop = rest[k..].IndexOfAny((byte)'"', (byte)'\\');
                    if (stop < 0)
                    {
                        return Fail(quote, "unterminated label value");
                    }

                    rest.Slice(k, stop).CopyTo(scratch.AsSpan(length));
                    length += stop;
                    k += stop;
                    if (rest[k] == (byte)'"')
                    {
                        break;
                    }

                    if (k + 1 == rest.Length)
                    {
                        return Fail(quote, "unterminated label value");
                    }

                    byte escaped = rest[k + 1];
                    if (escaped is not ((byte)'\\' or (byte)'"' or (byte)'n'))
                    {
                        return Fail(quote + 1 + k, $"invalid escape sequence '\\{(char)escaped}' in label value");
                    }

                    scratch[length++] = escaped == (byte)'n' ? (byte)'\n' : escaped;
                    k += 2;
                }

                valueId = batch.Intern(scratch.AsSpan(0, length));
                p = quote + 1 + k + 1;
            }

            return valueId >= 0 || Fail(quote + 1, "label value is not valid UTF-8");
        }

        private int FamilyForSample(int nameId, ReadOnlySpan<byte> name)
        {
            int current = _currentFamily;
            if (current >= 0 && batch.FamilyType[current] is MetricType.Histogram or MetricType.Summary)
            {
                // foo_bucket, foo_sum and foo_count belong to the histogram or summary foo.
                ReadOnlySpan<byte> familyName = batch.Strings.KeyAt(batch.FamilyName[current]);
                if (name.StartsWith(familyName))
                {
                    ReadOnlySpan<byte> suffix = name[familyName.Length..];
                    if (suffix.SequenceEqual("_sum"u8) || suffix.SequenceEqual("_count"u8)
                        || (batch.FamilyType[current] == MetricType.Histogram && suffix.SequenceEqual("_bucket"u8)))
                    {
                        return current;
                    }
                }
            }

            int family = FindOrAddFamily(nameId);
            _currentFamily = family;
            return family;
        }

        private int FindOrAddFamily(int nameId)
        {
            int family = batch.FindFamily(nameId);
            return family >= 0 ? family : batch.AddFamily(nameId, FamilyCount++);
        }

        private static int EndOfName(ReadOnlySpan<byte> line, int start, SearchValues<byte> allowed)
        {
            int length = line[start..].IndexOfAnyExcept(allowed);
            return length < 0 ? line.Length : start + length;
        }

        private bool Fail(int column, string reason)
        {
            ErrorColumn = column;
            ErrorReason = reason;
            return false;
        }
    }
}
