import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import type { ResultOf } from '../graphql/graphql.ts';
import { MeQuery } from './me.operations.ts';
import type { Role } from './route-types.ts';
import { useSession } from './session.tsx';

export type Me = NonNullable<ResultOf<typeof MeQuery>['me']>;

interface MeState {
  me: Me | null;
  /** The roles the API grants the signed-in person (not what the token claims). */
  roles: readonly Role[];
  fetching: boolean;
}

const MeContext = createContext<MeState>({ me: null, roles: [], fetching: false });

/** Asks the API once per sign-in who the person is. */
export function MeProvider({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const [{ data, fetching }] = useQuery({ query: MeQuery, pause: !session });
  const me = session ? (data?.me ?? null) : null;
  return <MeContext.Provider value={{ me, roles: me?.roles ?? [], fetching: Boolean(session) && fetching }}>{children}</MeContext.Provider>;
}

export const useMe = () => useContext(MeContext);
