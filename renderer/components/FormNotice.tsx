/** What a form's last submit did: done (announced politely), or a problem (an alert). */
export function FormNotice({
  testId,
  problem,
  children,
}: {
  testId: string;
  problem: boolean;
  children: string;
}) {
  return (
    <p
      className={problem ? 'inline-error' : 'notice'}
      role={problem ? 'alert' : 'status'}
      data-testid={testId}
    >
      {children}
    </p>
  );
}
