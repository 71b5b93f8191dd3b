using Microsoft.Extensions.Time.Testing;
using NeoCloud.Kernel.Ids;

namespace NeoCloud.Kernel.Tests.Ids;

public sealed class SortableIdTests
{
    [Fact]
    public void Ids_made_later_sort_after_ids_made_earlier()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        var ids = new List<string>();
        for (int i = 0; i < 50; i++)
        {
            ids.Add(SortableId.New("job", clock));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Matches("^job-[0-9A-HJKMNP-TV-Z]{26}$", id));
    }

    [Fact]
    public void The_same_parts_format_to_the_same_id()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        byte[] random = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(SortableId.Format("job", at, random), SortableId.Format("job", at, random));
        Assert.Throws<ArgumentException>(() => SortableId.Format("job", at, random.AsSpan(1)));
    }
}
