import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import type { ResultOf } from '../graphql/graphql.ts';
import { Link, useLocation, useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { mayDo, type BrandAction, type BrandMemberRole } from './brand-access.ts';
import { BrandFrameQuery } from './brand.operations.ts';
import { words } from './format.ts';
import { StatusTag } from './status-tag.tsx';
import './brand.css';

export type FrameBrand = NonNullable<ResultOf<typeof BrandFrameQuery>['brand']>;

const BrandContext = createContext<FrameBrand | null>(null);

/** The brand the page is about, with the caller's role in it. */
export function useBrand(): FrameBrand & { may: (action: BrandAction) => boolean } {
  const brand = useContext(BrandContext);
  if (!brand) throw new Error('useBrand needs a BrandFrame above it.');
  return { ...brand, may: (action) => mayDo(brand.myRole as BrandMemberRole | null, action) };
}

interface Section {
  path: string;
  label: string;
  /** Shown to members whose role allows this. */
  action: BrandAction;
}

const SECTIONS: Section[] = [
  { path: '', label: 'Trademarks', action: 'brand.viewPrivate' },
  { path: '/letters', label: 'Authorization letters', action: 'letters.view' },
  { path: '/resellers', label: 'Resellers', action: 'letters.view' },
  { path: '/codes', label: 'Product codes', action: 'productCodes.manage' },
  { path: '/insight', label: 'Scan insight', action: 'scanInsight.view' },
  { path: '/team', label: 'Team', action: 'team.view' },
  { path: '/webhooks', label: 'Webhooks', action: 'webhooks.manage' },
];

/** A brand page: the brand's name and status, its sections (those the role allows), and the section's content. */
export function BrandFrame({ section, children }: { section: string; children: ReactNode }) {
  const { slug = '' } = useParams();
  const { pathname } = useLocation();
  const [{ data, fetching, error }] = useQuery({ query: BrandFrameQuery, variables: { slug } });
  if (fetching && !data) return <Loading what="the brand" />;
  if (error) return <RequestFailed error={error} what="this brand" />;
  const brand = data?.brand;
  if (!brand || !brand.myRole) {
    return (
      <Page title="Brand not found">
        <p>
          There is no brand at this address in your brands. <Link to="/console/brand">See your brands</Link>.
        </p>
      </Page>
    );
  }
  const base = `/console/brand/${encodeURIComponent(brand.slug)}`;
  const visible = SECTIONS.filter((s) => mayDo(brand.myRole, s.action));
  return (
    <BrandContext.Provider value={brand}>
      <Page title={`${brand.name}: ${section}`}>
        <p className="brand-summary">
          <Link to="/console/brand">All your brands</Link> · Status: <StatusTag status={brand.status} /> · Your role: {words(brand.myRole)}
        </p>
        <nav aria-label="Brand sections" className="brand-sections">
          <ul>
            {visible.map((s) => (
              <li key={s.path}>
                <Link to={`${base}${s.path}`} aria-current={pathname === `${base}${s.path}` ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {children}
      </Page>
    </BrandContext.Provider>
  );
}

/** For a section the role does not open. */
export function NotForYourRole() {
  return <p>Your role in this brand does not include this. An owner of the brand can change your role.</p>;
}
