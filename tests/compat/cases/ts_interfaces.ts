// TypeScript: interfaces, type aliases, unions, annotations, generics,
// `as` casts, non-null assertions, optional members; types are stripped.
import type { IncomingMessage, ServerResponse } from 'http';

interface User { id: number; name: string; email?: string; roles: readonly Role[]; }
type Role = 'admin' | 'user';
type Page<T> = { items: T[]; total: number; next?: number | null };

function paginate<T>(all: T[], size: number, page = 1): Page<T> {
    const start = (page - 1) * size;
    return { items: all.slice(start, start + size), total: all.length,
             next: start + size < all.length ? page + 1 : null };
}
const first = <K extends keyof User>(users: User[], key: K): User[K] | undefined => users[0]?.[key];

const users: User[] = [
    { id: 1, name: 'ada', roles: ['admin'] },
    { id: 2, name: 'grace', email: 'g@example.com', roles: ['user'] },
    { id: 3, name: 'linus', roles: ['user', 'admin'] },
];

export default function (req: IncomingMessage, res: ServerResponse): void {
    const raw = (req.url as string).split('page=')[1];
    const page = Number(raw ?? '1');
    const body: Page<Pick<User, 'id' | 'name'>> = paginate(users.map(({ id, name }) => ({ id, name })), 2, page);
    const admins = users.filter((u): u is User => u.roles.includes('admin')).map(u => u.name);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ...body, admins, firstName: first(users, 'name'), email: users[1].email!.length }));
}
// @request GET /ts_interfaces?page=2
// @request GET /ts_interfaces
