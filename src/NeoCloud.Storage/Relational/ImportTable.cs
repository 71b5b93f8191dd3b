namespace NeoCloud.Storage.Relational;

/// <summary>The rows of one table of a fleet import, in column order, ready for COPY or a prepared INSERT.</summary>
/// <param name="Table">The table with its context placeholder, e.g. <c>{fleet}.nodes</c>.</param>
/// <param name="Rows">Values are <see cref="string"/>, <see cref="int"/>, <see cref="long"/> or <see cref="DBNull"/>.</param>
internal sealed record ImportTable(string Table, IReadOnlyList<string> Columns, IEnumerable<object[]> Rows);
