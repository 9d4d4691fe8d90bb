// TypeScript: numeric and string enums (with reverse mapping), const
// enums, `as const` objects, and a switch over an enum.
enum Status { Active = 1, Suspended, Deleted = 10 }
enum Color { Red = 'RED', Green = 'GREEN' }
const enum Direction { Up, Down }
const LEVELS = { low: 1, high: 3 } as const;
type Level = keyof typeof LEVELS;

function label(s: Status): string {
    switch (s) {
        case Status.Active: return 'on';
        case Status.Suspended: return 'paused';
        default: return 'gone';
    }
}

export const GET = (req: any, res: any) => {
    const lvl: Level = 'high';
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        values: [Status.Active, Status.Suspended, Status.Deleted],
        reverse: Status[2], colors: Object.values(Color), direction: Direction.Down,
        labels: [Status.Active, Status.Deleted].map(label), level: LEVELS[lvl],
        keys: Object.keys(Status),
    }));
};
