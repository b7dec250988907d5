import { Link, useNavigate } from './router.tsx';
import { useMe } from './me.tsx';
import { useSession } from './session.tsx';

export function Header() {
  const { session, signOut } = useSession();
  const { me } = useMe();
  const navigate = useNavigate();
  return (
    <header className="site-header">
      <Link to="/console/" className="site-name">
        Brand authentication
      </Link>
      {session ? (
        <div className="who">
          <span>
            Signed in as <strong>{me?.displayName ?? session.subject}</strong>
          </span>
          <button
            type="button"
            onClick={() => {
              signOut();
              navigate('/console/sign-in');
            }}
          >
            Sign out
          </button>
        </div>
      ) : (
        <Link to="/console/sign-in">Sign in</Link>
      )}
    </header>
  );
}
