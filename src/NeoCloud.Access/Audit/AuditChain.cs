using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Audit;

/// <summary>The hash chain of the audit log: each record's hash covers its content and the previous record's hash.</summary>
public static class AuditChain
{
    /// <summary>The previous-hash of the first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(long sequence, AuditEntry entry, string previousHash)
    {
        // Length-prefixed fields: no choice of separator can make two different records hash alike.
        var text = new StringBuilder();
        Append(text, sequence.ToString(CultureInfo.InvariantCulture));
        Append(text, entry.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Append(text, entry.Actor.ToString());
        Append(text, entry.Action);
        Append(text, entry.Target);
        Append(text, entry.Reason);
        Append(text, entry.Before);
        Append(text, entry.After);
        Append(text, entry.SourceId);
        Append(text, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static AuditRecord Seal(long sequence, AuditEntry entry, string previousHash) =>
        new(sequence, entry.At, entry.Actor, entry.Action, entry.Target, entry.Reason, entry.Before, entry.After,
            previousHash, Hash(sequence, entry, previousHash), entry.SourceId);

    /// <summary>Checks a run of records in sequence order; returns the first sequence that does not verify, or null if all do.</summary>
    public static long? FirstBroken(IEnumerable<AuditRecord> records, string? expectedPrevious = Genesis)
    {
        string? previous = expectedPrevious;
        long? expectedSequence = null;
        foreach (var r in records)
        {
            var entry = new AuditEntry(r.At, r.Actor, r.Action, r.Target, r.Reason, r.Before, r.After, r.SourceId);
            if ((previous is not null && r.PreviousHash != previous)
                || (expectedSequence is not null && r.Sequence != expectedSequence)
                || Hash(r.Sequence, entry, r.PreviousHash) != r.Hash)
            {
                return r.Sequence;
            }

            previous = r.Hash;
            expectedSequence = r.Sequence + 1;
        }

        return null;
    }

    private static void Append(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-1:");
            return;
        }

        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }
}
